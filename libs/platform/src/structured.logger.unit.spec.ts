import { ConsoleLogger, Logger } from '@nestjs/common';
import { loadConfig } from '@termline/config';
import { Writable } from 'node:stream';
import { currentLogContext, logContextOfMessage, traceHeaders, withLogContext } from './log-context';
import { resolveLogFormat, StructuredLogger } from './structured.logger';

/** A destination that keeps the lines pino writes, parsed. */
function captured(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe('resolveLogFormat', () => {
  it('writes JSON lines in the distributed processes and readable ones in the embedded mode on a terminal', () => {
    const auto = loadConfig({});
    expect(auto.logFormat).toBe('auto');
    expect(resolveLogFormat(auto, 'distributed', true)).toBe('json');
    expect(resolveLogFormat(auto, 'embedded', true)).toBe('pretty');
    expect(resolveLogFormat(auto, 'embedded', false)).toBe('json');
  });

  it('follows LOG_FORMAT whatever the mode, and refuses an unknown format', () => {
    expect(resolveLogFormat(loadConfig({ LOG_FORMAT: 'pretty' }), 'distributed', false)).toBe('pretty');
    expect(resolveLogFormat(loadConfig({ LOG_FORMAT: 'json' }), 'embedded', true)).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json, pretty or auto/);
  });
});

describe('StructuredLogger', () => {
  it('writes one JSON object per line with the level, the service, the Nest context and the message', () => {
    const { stream, lines } = captured();
    const logger = StructuredLogger.create({
      level: 'log',
      format: 'json',
      service: 'versioning',
      destination: stream,
    });

    logger.log('running', 'Versioning');
    logger.warn('slow', { ms: 1200 }, 'FetchConsumer');

    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'versioning',
        context: 'Versioning',
        msg: 'running',
      }),
      expect.objectContaining({ level: 'warn', context: 'FetchConsumer', msg: 'slow', ms: 1200 }),
    ]);
    expect(typeof lines[0]!.time).toBe('string');
  });

  it('keeps the stack Nest passes with an error, and drops lines below LOG_LEVEL', () => {
    const { stream, lines } = captured();
    const logger = StructuredLogger.create({
      level: 'warn',
      format: 'json',
      service: 'gateway',
      destination: stream,
    });

    logger.log('not written');
    logger.debug('not written either');
    logger.error('failed', 'Error: boom\n    at here', 'Fatal');

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'error',
      msg: 'failed',
      context: 'Fatal',
      stack: 'Error: boom\n    at here',
    });
  });

  it('names the fetch, its correlation and its cause on every line written inside its log context', async () => {
    const { stream, lines } = captured();
    // Nest's Logger of any class routes to the structured logger, as once an app is created with it.
    Logger.overrideLogger(
      StructuredLogger.create({ level: 'debug', format: 'json', service: 'projection', destination: stream }),
    );
    try {
      const message = {
        topic: 'versioning.document-events.v1',
        partition: 2,
        offset: '41',
        key: 'acme__terms',
        headers: traceHeaders({ fetchId: 'f-7', correlationId: 'req-9', causationId: 'fetches/0/3' }),
      };
      await withLogContext(logContextOfMessage(message), async () => {
        await Promise.resolve();
        new Logger('DocumentEventsConsumer').debug('projected');
      });
      new Logger('Elsewhere').log('outside');
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }

    expect(lines[0]).toMatchObject({
      msg: 'projected',
      context: 'DocumentEventsConsumer',
      fetchId: 'f-7',
      correlationId: 'req-9',
      causationId: 'versioning.document-events.v1/2/41',
      documentId: 'acme__terms',
    });
    expect(lines[1]).toMatchObject({ msg: 'outside' });
    expect(lines[1]).not.toHaveProperty('fetchId');
  });

  it('lets an inner context add to the outer one without losing it', () => {
    const seen = withLogContext({ correlationId: 'c-1', causationId: 'm-1' }, () =>
      withLogContext({ fetchId: 'f-1', causationId: '' }, () => traceHeaders(currentLogContext())),
    );
    expect(seen).toEqual({ 'x-fetch-id': 'f-1', 'x-correlation-id': 'c-1', 'x-causation-id': 'm-1' });
  });
});
