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
import { resolveLogFormat, StructuredLogger } from './structured.logger';

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
  // Set before Nest starts, so that a failure to start is a JSON line like the rest.
  const structured = structuredLogger(config, name);
  Logger.overrideLogger(structured);
  // The callers exit with code 1 on a rejection: say why first (the fault suite met such silent exits).
  return startWith(name, module, config, structured, http).catch((error: unknown) => {
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
  structured: StructuredLogger,
  http?: (app: INestApplication, config: TermlineConfig) => Promise<void>,
): Promise<INestApplicationContext> {
  const infrastructure = await openInfrastructure('distributed', config);
  const root = withInfrastructure(module, InfrastructureModule.forRoot(config, infrastructure));
  Object.defineProperty(root.module, 'name', { value: `${name}Root` });
  if (http) {
    const app = await NestFactory.create(root, { bodyParser: false, logger: structured });
    app.enableShutdownHooks();
    await http(app, config);
    structured.log(
      `${name} listening on http://${config.host}:${config.port} (Kafka ${config.kafkaBrokers.join(',')}, MongoDB)`,
      name,
    );
    return app;
  }
  const context = await NestFactory.createApplicationContext(root, { logger: structured });
  context.enableShutdownHooks();
  await context.init();
  structured.log(
    `${name} running (Kafka ${config.kafkaBrokers.join(',')}, MongoDB ${config.mongoDatabase})`,
    name,
  );
  return context;
}

function structuredLogger(config: TermlineConfig, name: string): StructuredLogger {
  return StructuredLogger.create({
    level: config.logLevel,
    format: resolveLogFormat(config, 'distributed', process.stdout.isTTY === true),
    service: name.toLowerCase(),
  });
}
