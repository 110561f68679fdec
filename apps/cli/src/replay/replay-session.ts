import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { loadConfig, type TermlineConfig } from '@termline/config';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import { InfrastructureModule, loggerLevels, openInfrastructure } from '@termline/platform';
import { ProjectionRebuildModule, ProjectionRebuildService } from '@termline/projection';
import { READ_MODEL_STORE, type ReadModelStore } from '@termline/readmodels';
import { DECLARATIONS, VersioningModule, type LoadedDeclarations } from '@termline/versioning';

/**
 * The versioning use case as the replay runs it: the library's VersioningModule on the embedded adapters, in a Nest
 * application context (no HTTP). Records go through the CommandBus to RecordFetchHandler, the code path the fetch
 * consumer uses after decoding a message. No consumer starts (the module has none), so replaying into an existing
 * `--data` store never picks up that store's pending fetch messages behind the replay's back.
 */
export interface ReplaySessionOptions {
  dataDir: string;
  /** OTA declarations for extraction; null when the records are already text (an OTA versions import). */
  declarationsDir: string | null;
  logLevel?: TermlineConfig['logLevel'];
}

export interface ReplaySession {
  config: TermlineConfig;
  commandBus: CommandBus;
  eventStore: EventStore;
  /** The declarations the session applies, with the problems found reading them. */
  declarations: LoadedDeclarations;
  /** A failure the infrastructure reported as fatal, if any. */
  fatal(): Error | null;
  /** Projects what the session appended into the store's read models (from their checkpoints on). */
  projectReadModels(): Promise<{ streams: number; events: number }>;
  close(): Promise<void>;
}

@Module({})
class ReplayRootModule {}

export async function openReplaySession(options: ReplaySessionOptions): Promise<ReplaySession> {
  const logLevel = options.logLevel ?? 'warn';
  const config = loadConfig({
    TERMLINE_DATA_DIR: options.dataDir,
    TERMLINE_DECLARATIONS_DIR: options.declarationsDir ?? undefined,
    TERMLINE_DEMO: 'false',
    TERMLINE_MAX_CONTENT_BYTES: process.env.TERMLINE_MAX_CONTENT_BYTES,
    LOG_LEVEL: logLevel,
  });
  const infrastructure = await openInfrastructure('embedded', config);
  let fatal: Error | null = null;
  const root: DynamicModule = {
    module: ReplayRootModule,
    imports: [
      InfrastructureModule.forRoot(config, infrastructure, (component, error) => {
        fatal ??= new Error(
          `${component} stopped: ${error instanceof Error ? error.message : String(error)}`,
        );
      }),
      VersioningModule,
      ProjectionRebuildModule,
    ],
  };
  let context: INestApplicationContext;
  try {
    context = await NestFactory.createApplicationContext(root, {
      logger: [...loggerLevels(logLevel)],
      abortOnError: false,
    });
  } catch (error) {
    await infrastructure.close();
    throw error;
  }
  return {
    config,
    commandBus: context.get(CommandBus),
    eventStore: context.get<EventStore>(EVENT_STORE),
    declarations: context.get<LoadedDeclarations>(DECLARATIONS),
    fatal: () => fatal,
    projectReadModels: () =>
      context.get(ProjectionRebuildService).catchUpAll(context.get<ReadModelStore>(READ_MODEL_STORE)),
    close: () => context.close(),
  };
}
