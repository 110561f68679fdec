import {
  Logger,
  type DynamicModule,
  type INestApplication,
  type INestApplicationContext,
  type Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, type TermlineConfig } from '@termline/config';
import { InfrastructureModule, openInfrastructure } from './infrastructure.module';

const LEVELS = ['error', 'warn', 'log', 'debug'] as const;
export const loggerLevels = (level: TermlineConfig['logLevel']) => LEVELS.slice(0, LEVELS.indexOf(level) + 1);

const withInfrastructure = (module: Type, infrastructure: DynamicModule): DynamicModule => ({
  module: class DistributedRoot {},
  imports: [infrastructure, module],
});

/** Starts one app of the distributed mode against Kafka and MongoDB: HTTP when `http` is given, else a worker. */
export async function startDistributed(
  name: string,
  module: Type,
  http?: (app: INestApplication, config: TermlineConfig) => Promise<void>,
): Promise<INestApplicationContext> {
  const logger = new Logger(name);
  let config: TermlineConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    throw error;
  }
  // The callers exit with code 1 on a rejection: say why first (the fault suite met such silent exits).
  return startWith(name, module, config, logger, http).catch((error: unknown) => {
    logger.error(
      `${name} could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    throw error;
  });
}

async function startWith(
  name: string,
  module: Type,
  config: TermlineConfig,
  logger: Logger,
  http?: (app: INestApplication, config: TermlineConfig) => Promise<void>,
): Promise<INestApplicationContext> {
  const infrastructure = await openInfrastructure('distributed', config);
  const root = withInfrastructure(module, InfrastructureModule.forRoot(config, infrastructure));
  Object.defineProperty(root.module, 'name', { value: `${name}Root` });
  if (http) {
    const app = await NestFactory.create(root, {
      bodyParser: false,
      logger: [...loggerLevels(config.logLevel)],
    });
    app.enableShutdownHooks();
    await http(app, config);
    logger.log(
      `${name} listening on http://${config.host}:${config.port} (Kafka ${config.kafkaBrokers.join(',')}, MongoDB)`,
    );
    return app;
  }
  const context = await NestFactory.createApplicationContext(root, {
    logger: [...loggerLevels(config.logLevel)],
  });
  context.enableShutdownHooks();
  await context.init();
  logger.log(`${name} running (Kafka ${config.kafkaBrokers.join(',')}, MongoDB ${config.mongoDatabase})`);
  return context;
}
