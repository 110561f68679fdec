import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@termline/config';
import { InfrastructureModule, loggerLevels, openInfrastructure } from '@termline/platform';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProjectionRebuildModule, ProjectionRebuildService, type RepairReport } from '@termline/projection';
import { dataDirOf, parseCommand, type CommandOutput } from '../audit/cli-options';
import { gatewayOf } from '../read/read-source';
import { UsageError } from '../replay/replay.command';

export const REBUILD_USAGE = `Usage: termline rebuild [--data <dir> | --api <url> --key <key>] [options]

Rebuilds the read models (documents, versions, timelines, governance) from the event store into fresh ones and
swaps them in: the repair of a damaged or outdated read model. Embedded: stop the system that uses the folder
first (or use --api, which asks the running gateway to do it: an admin key is needed).

Options:
  --data <dir>           the embedded store (default: TERMLINE_DATA_DIR, else ./data)
  --api <url>            ask a running gateway instead ...
  --key <key>            ... with this admin key (default: TERMLINE_API_KEY)
  --json                 print the report as JSON
  -h, --help             this help

Exit codes: 0 rebuilt, 1 failed, 2 bad usage.`;

@Module({})
class RebuildRootModule {}

/** The projection's own rebuild (the code behind POST /v1/admin/projections/rebuild) on the embedded store. */
async function rebuildEmbedded(dataDir: string): Promise<RepairReport> {
  if (!existsSync(join(dataDir, 'events.sqlite')))
    throw new UsageError(`${dataDir}: no embedded store (events.sqlite) there`);
  const config = loadConfig({ TERMLINE_DATA_DIR: dataDir, TERMLINE_DEMO: 'false', LOG_LEVEL: 'warn' });
  const infrastructure = await openInfrastructure('embedded', config);
  const root: DynamicModule = {
    module: RebuildRootModule,
    imports: [InfrastructureModule.forRoot(config, infrastructure), ProjectionRebuildModule],
  };
  let context;
  try {
    context = await NestFactory.createApplicationContext(root, {
      logger: [...loggerLevels('warn')],
      abortOnError: false,
    });
  } catch (error) {
    await infrastructure.close();
    throw error;
  }
  try {
    return await context.get(ProjectionRebuildService).repair(context.get<ReadModelStore>(READ_MODEL_STORE));
  } finally {
    await context.close();
  }
}

export async function runRebuild(argv: readonly string[], output: CommandOutput): Promise<number> {
  const { values, positionals } = parseCommand(argv, {
    data: { type: 'string' },
    api: { type: 'string' },
    key: { type: 'string' },
  });
  if (values.help) {
    output.stdout.write(`${REBUILD_USAGE}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const gateway = gatewayOf(values);
  if (gateway && values.data !== undefined) throw new UsageError('give --data or --api, not both');
  const report = gateway
    ? ((await (await gateway.request('POST', '/v1/admin/projections/rebuild')).json()) as RepairReport)
    : await rebuildEmbedded(resolve(dataDirOf(values.data)));
  output.stdout.write(
    values.json
      ? `${JSON.stringify(report)}\n`
      : `Rebuilt the read models from ${report.streams} streams, ${report.events} events, in ${report.seconds.toFixed(1)} s; ${
          report.equal === null
            ? `the replaced copy could not be compared (${report.comparisonError ?? 'unreadable'})`
            : report.equal
              ? 'identical to the replaced copy'
              : 'they differ from the replaced copy, which they now replace'
        }\n`,
  );
  return 0;
}
