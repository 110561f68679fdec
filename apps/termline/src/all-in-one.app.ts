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
import { GatewayModule } from '../../gateway/src/gateway.module';
import { configureHttp } from '../../gateway/src/http/configure-http';
import { ProjectionModule } from '../../projection/src/projection.module';
import { VersioningModule } from '../../versioning/src/versioning.module';

@Module({})
class AllInOneModule {
  static with(infrastructure: DynamicModule): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [infrastructure, VersioningModule, ProjectionModule, GatewayModule],
    };
  }
}

/**
 * The whole of Termline in one process: the three apps wired to the adapters of a mode. Embedded (the default):
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
