import { Logger } from '@nestjs/common';

/**
 * What to do when a consumer's subscription dies (its messaging client gave up): log it and stop the process, so
 * that a supervisor restarts it. A failing handler never gets here: its message is retried, dead-lettered or
 * parked (docs/reliability.md). Tests provide their own.
 */
export type FatalHandler = (component: string, error: unknown) => void;

export const exitOnFatal: FatalHandler = (component, error) => {
  new Logger('Fatal').error(
    `${component} stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
};

export const ON_FATAL = Symbol('ON_FATAL');
