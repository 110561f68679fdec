import type { LoggerService } from '@nestjs/common';
import type { TermlineConfig } from '@termline/config';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Mode } from './infrastructure.module';
import { currentLogContext } from './log-context';

export type LogFormat = 'json' | 'pretty';

/**
 * LOG_FORMAT when set; otherwise readable lines only where a person watches them: the embedded mode on a terminal.
 * Distributed processes write JSON lines for whatever collects them.
 */
export function resolveLogFormat(
  config: Pick<TermlineConfig, 'logFormat'>,
  mode: Mode,
  isTerminal: boolean,
): LogFormat {
  if (config.logFormat !== 'auto') return config.logFormat;
  return mode === 'embedded' && isTerminal ? 'pretty' : 'json';
}

/** Nest's level names (LOG_LEVEL) to pino's. */
const PINO_LEVELS: Record<TermlineConfig['logLevel'], Level> = {
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
};

export interface StructuredLoggerOptions {
  level: TermlineConfig['logLevel'];
  format: LogFormat;
  /** Which process writes: gateway, versioning, projection, termline (all in one). */
  service: string;
  /** Where lines go; standard output by default. Tests pass their own. */
  destination?: DestinationStream;
}

export function createPino(options: StructuredLoggerOptions): Logger {
  const destination =
    options.destination ??
    (options.format === 'pretty'
      ? pinoPretty({
          colorize: process.stdout.isTTY === true,
          // Synchronous: a process that exits right after a fatal line still shows it.
          sync: true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service,context',
          messageFormat: '{if context}[{context}] {end}{msg}',
        })
      : pino.destination({ fd: 1, sync: true }));
  return pino(
    {
      level: PINO_LEVELS[options.level],
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Every line written while a fetch or an event is handled names it (log-context.ts).
      mixin: () => ({ ...currentLogContext() }),
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/**
 * Nest's LoggerService on pino: Nest's own lines, and every `new Logger(context)` of the apps once Nest uses it,
 * come out as one JSON object per line (or readable lines) with the log context of the work in progress.
 */
export class StructuredLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  static create(options: StructuredLoggerOptions): StructuredLogger {
    return new StructuredLogger(createPino(options));
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params, true);
  }

  /**
   * Nest passes the logger's context last, and for errors a stack before it (either may be undefined); objects
   * given along become fields of the line.
   */
  private write(level: Level, message: unknown, params: unknown[], mayHaveStack = false): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (
      rest.length > 0 &&
      (typeof rest[rest.length - 1] === 'string' || rest[rest.length - 1] === undefined)
    ) {
      const context = rest.pop();
      if (typeof context === 'string') fields.context = context;
    }
    for (const param of rest) {
      if (typeof param === 'string' && mayHaveStack) fields.stack = param;
      else if (param instanceof Error) fields.err = param;
      else if (param !== null && typeof param === 'object') Object.assign(fields, param);
      else if (param !== undefined) fields.detail = param;
    }
    if (message instanceof Error) {
      fields.err = message;
      this.pino[level](fields, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.pino[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.pino[level](fields, String(message));
    }
  }
}
