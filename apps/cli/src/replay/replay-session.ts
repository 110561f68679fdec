import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { loadConfig, type TermlineConfig } from '@termline/config';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import { InfrastructureModule, loggerLevels, openInfrastructure } from '@termline/platform';
import { DECLARATIONS, VersioningModule, type LoadedDeclarations } from '@termline/versioning';

/**
 * The versioning service as the replay runs it: the same VersioningModule on the embedded adapters, in a Nest
 * application context (no HTTP). Records go through the CommandBus to RecordFetchHandler, the code path the fetch
 * consumer uses after decoding a message.
 *
 * The module's FetchConsumer still starts with the context. It is pointed at a topic prefix of its own, on which
 * nothing is ever published, so it idles: replaying into an existing `--data` store never picks up that store's
 * pending fetch messages behind the replay's back.
 */
export const REPLAY_TOPIC_PREFIX = 'replay.';

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
  /** A failure the versioning app reported as fatal (a consumer stopped), if any. */
  fatal(): Error | null;
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
    TERMLINE_TOPIC_PREFIX: REPLAY_TOPIC_PREFIX,
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
    close: () => context.close(),
  };
}
