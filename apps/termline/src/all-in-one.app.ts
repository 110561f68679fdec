import { Logger, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TermlineConfig } from '@termline/config';
import {
  exitOnFatal,
  InfrastructureModule,
  openInfrastructure,
  resolveLogFormat,
  StructuredLogger,
  type FatalHandler,
  type Mode,
} from '@termline/platform';
import { configureHttp, GatewayModule } from '@termline/gateway';
import { DocumentEventsConsumer, ProjectionRebuildModule } from '@termline/projection';
import { FetchConsumer, VersioningModule } from '@termline/versioning';

@Module({})
class AllInOneModule {
  static with(infrastructure: DynamicModule): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [infrastructure, VersioningModule, ProjectionRebuildModule, GatewayModule],
      // The consumers of the distributed apps, here on the embedded (or the real) bus: one process, every role.
      providers: [FetchConsumer, DocumentEventsConsumer],
    };
  }
}

/**
 * The whole of Termline in one process: the libraries of the three apps wired to the adapters of a mode. Embedded (the default):
 * SQLite event store, archive, read models and message log under the data directory. Distributed: Kafka and
 * MongoDB (the end-to-end suite runs the same app on both). Returns the app initialised, not listening.
 */
export async function createAllInOneApp(
  config: TermlineConfig,
  mode: Mode = 'embedded',
  onFatal: FatalHandler = exitOnFatal,
): Promise<INestApplication> {
  const infrastructure = await openInfrastructure(mode, config);
  const app = await NestFactory.create(
    AllInOneModule.with(InfrastructureModule.forRoot(config, infrastructure, onFatal)),
    {
      bodyParser: false,
      // Readable lines on the terminal of `npm start`, JSON lines elsewhere (LOG_FORMAT overrides).
      logger: StructuredLogger.create({
        level: config.logLevel,
        format: resolveLogFormat(config, mode, process.stdout.isTTY === true),
        service: 'termline',
      }),
    },
  );
  app.enableShutdownHooks();
  configureHttp(app);
  await app.init();
  return app;
}

export const logger = new Logger('Termline');
