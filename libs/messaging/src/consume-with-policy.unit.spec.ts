import {
  backoffDelay,
  chunksOf,
  classifyError,
  consumeWithPolicy,
  DEFAULT_BACKOFF,
  InvalidMessageError,
  isOutOfSpace,
  resolvePolicy,
  silentConsumerLogger,
  TransientError,
  tryBatch,
  BatchDeclined,
  type ConsumeContext,
  type ParkedMessage,
} from './consume-with-policy';
import { MongoBulkWriteError, MongoNetworkError } from 'mongodb';
import type { IncomingMessage, OutgoingMessage } from './message-bus.port';

const message = (overrides: Partial<IncomingMessage> = {}): IncomingMessage => ({
  topic: 'fetcher.fetches.v1',
  partition: 2,
  offset: '41',
  key: 'doc-1',
  value: '{"kind":"fetch"}',
  headers: { 'x-correlation-id': 'corr-1' },
  ...overrides,
});

const named = (name: string, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(`${name} happened`), { name, ...extra });

/** A context whose sleeps are recorded instead of waited, and whose dead-letter publications are captured. */
function harness(handler: ConsumeContext['handler'], overrides: Partial<ConsumeContext> = {}) {
  const sleeps: number[] = [];
  const published: { topic: string; messages: readonly OutgoingMessage[] }[] = [];
  const context: ConsumeContext = {
    groupId: 'versioning.record-fetch',
    handler,
    publish: (topic, messages) => {
      published.push({ topic, messages });
      return Promise.resolve();
    },
    policy: resolvePolicy({
      logger: silentConsumerLogger,
      now: () => new Date('2026-03-01T10:00:00.000Z'),
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    }),
    ...overrides,
  };
  return { context, sleeps, published };
}

/** A handler that fails with the given errors, one per call, then succeeds. */
function failingThen(...errors: Error[]) {
  const calls: IncomingMessage[] = [];
  const handler = (received: IncomingMessage): Promise<void> => {
    calls.push(received);
    const error = errors[calls.length - 1];
    return error === undefined ? Promise.resolve() : Promise.reject(error);
  };
  return { handler, calls };
}

describe('classifyError', () => {
  it.each([
    ['InvalidMessageError', new InvalidMessageError('missing documentId', { code: 'E_SCHEMA' }), 'invalid'],
    [
      'an error named InvalidMessageError from another copy of the library',
      named('InvalidMessageError'),
      'invalid',
    ],
    ['TransientError', new TransientError('try later'), 'transient'],
    ['KafkaJSConnectionError', named('KafkaJSConnectionError'), 'transient'],
    ['MongoNetworkError', named('MongoNetworkError'), 'transient'],
    ['MongoServerSelectionError', named('MongoServerSelectionError'), 'transient'],
    ['ConcurrencyError', named('ConcurrencyError'), 'transient'],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'transient'],
    ['ETIMEDOUT', Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), 'transient'],
    [
      'a network error wrapped as a cause',
      new Error('save failed', { cause: named('MongoNetworkError') }),
      'transient',
    ],
    [
      "the MongoDB driver's bulk write failed on a refused connection (the real classes)",
      new MongoBulkWriteError(
        new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'),
        {} as ConstructorParameters<typeof MongoBulkWriteError>[1],
      ),
      'transient',
    ],
    [
      'a bulk write refused by the server for a duplicate key (not transient)',
      new MongoBulkWriteError(
        { message: 'E11000 duplicate key', code: 11000, writeErrors: [] },
        {} as ConstructorParameters<typeof MongoBulkWriteError>[1],
      ),
      'fatal',
    ],
    [
      'SQLITE_FULL',
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      'transient',
    ],
    [
      'ENOSPC',
      Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
      'transient',
    ],
    [
      'MongoDB out of disk space',
      Object.assign(new Error('out of space'), { code: 14031, codeName: 'OutOfDiskSpace' }),
      'transient',
    ],
    [
      'a backend message of a full disk',
      new Error('could not extend file: No space left on device'),
      'transient',
    ],
    [
      'SQLITE_CORRUPT (not transient)',
      Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }),
      'fatal',
    ],
    ['TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'id')"), 'fatal'],
    ['a plain Error', new Error('boom'), 'fatal'],
    ['a thrown string', 'boom', 'fatal'],
    ['undefined', undefined, 'fatal'],
  ])('classifies %s', (_label, error, expected) => {
    expect(classifyError(error)).toBe(expected);
  });
});

describe('isOutOfSpace', () => {
  it('recognises a full disk, also as the cause of another error, and nothing else', () => {
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(isOutOfSpace(full)).toBe(true);
    expect(isOutOfSpace(new Error('append failed', { cause: full }))).toBe(true);
    expect(isOutOfSpace(new Error('boom'))).toBe(false);
    expect(isOutOfSpace(named('MongoNetworkError'))).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('grows exponentially from the initial delay and is capped', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => backoffDelay(attempt, DEFAULT_BACKOFF));
    expect(delays).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });
});

describe('consumeWithPolicy', () => {
  it('resolves "handled" when the handler succeeds, without waiting or dead-lettering', async () => {
    const { handler, calls } = failingThen();
    const { context, sleeps, published } = harness(handler);

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('handled');

    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(published).toEqual([]);
  });

  it('sends an invalid message to the dead-letter topic with the reason, and moves on', async () => {
    const { handler, calls } = failingThen(
      new InvalidMessageError('missing documentId', { code: 'E_SCHEMA' }),
    );
    const { context, published } = harness(handler);

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('dead-lettered');

    expect(calls).toHaveLength(1);
    expect(published).toEqual([
      {
        topic: 'fetcher.fetches.v1.dlq',
        messages: [
          {
            key: 'doc-1',
            value: '{"kind":"fetch"}',
            headers: {
              'x-correlation-id': 'corr-1',
              'x-dlq-reason': 'missing documentId',
              'x-dlq-code': 'E_SCHEMA',
              'x-original-topic': 'fetcher.fetches.v1',
              'x-original-partition': '2',
              'x-original-offset': '41',
              'x-failed-at': '2026-03-01T10:00:00.000Z',
            },
          },
        ],
      },
    ]);
  });

  it('leaves out the code header when the error has no code', async () => {
    const { handler } = failingThen(new InvalidMessageError('unknown event type'));
    const { context, published } = harness(handler);

    await consumeWithPolicy(message(), context);

    expect(published[0]?.messages[0]?.headers).not.toHaveProperty('x-dlq-code');
  });

  it('retries a transient error with exponential backoff until the handler succeeds', async () => {
    const { handler, calls } = failingThen(new TransientError('store down'), named('MongoNetworkError'));
    const { context, sleeps, published } = harness(handler);

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('handled');

    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([100, 200]);
    expect(published).toEqual([]);
  });

  it('keeps the group alive before each wait', async () => {
    const { handler } = failingThen(new TransientError('a'), new TransientError('b'));
    let keptAlive = 0;
    const { context } = harness(handler, {
      keepAlive: () => {
        keptAlive += 1;
        return Promise.resolve();
      },
    });

    await consumeWithPolicy(message(), context);

    expect(keptAlive).toBe(2);
  });

  it('keeps retrying a transient error past the attempt limit, with the delay capped (a full disk waits)', async () => {
    const errors = Array.from({ length: 12 }, () =>
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
    );
    const { handler, calls } = failingThen(...errors);
    const { context, sleeps, published } = harness(handler);

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('handled');

    expect(calls).toHaveLength(13);
    expect(sleeps).toEqual([100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(published).toEqual([]);
  });

  it('follows a configured backoff', async () => {
    const { handler, calls } = failingThen(
      new TransientError('a'),
      new TransientError('b'),
      new TransientError('c'),
    );
    const { context, sleeps } = harness(handler);
    context.policy = { ...context.policy, backoff: { initialMs: 10, factor: 3, maxMs: 50, maxAttempts: 3 } };

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('handled');

    expect(calls).toHaveLength(4);
    expect(sleeps).toEqual([10, 30, 50]);
  });

  it('retries an unexpected error, then parks the message with its error after the last attempt', async () => {
    const bug = new TypeError('x is not a function');
    const { handler, calls } = failingThen(bug, bug, bug, bug);
    const parked: ParkedMessage[] = [];
    const { context, sleeps, published } = harness(handler, {
      park: (record) => {
        parked.push(record);
        return Promise.resolve();
      },
    });

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('parked');

    expect(calls).toHaveLength(DEFAULT_BACKOFF.maxAttempts);
    expect(sleeps).toEqual([100, 200]);
    expect(published).toEqual([]);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({
      message: message(),
      groupId: 'versioning.record-fetch',
      attempts: 3,
      error: { name: 'TypeError', message: 'x is not a function' },
      parkedAt: new Date('2026-03-01T10:00:00.000Z'),
    });
  });

  it('handles a message that fails unexpectedly once and then succeeds, without parking it', async () => {
    const { handler, calls } = failingThen(new RangeError('Maximum call stack size exceeded'));
    const park = jest.fn(() => Promise.resolve());
    const { context } = harness(handler, { park });

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('handled');
    expect(calls).toHaveLength(2);
    expect(park).not.toHaveBeenCalled();
  });

  it('parks on the dead-letter topic, marked quarantined, when the consumer has no park hook', async () => {
    const bug = new RangeError('Maximum call stack size exceeded');
    const { handler } = failingThen(bug, bug, bug);
    const { context, published } = harness(handler);

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('parked');

    expect(published).toHaveLength(1);
    expect(published[0]?.topic).toBe('fetcher.fetches.v1.dlq');
    expect(published[0]?.messages[0]).toMatchObject({
      key: 'doc-1',
      value: '{"kind":"fetch"}',
      headers: {
        'x-dlq-kind': 'quarantined',
        'x-dlq-attempts': '3',
        'x-dlq-reason': 'Maximum call stack size exceeded',
        'x-original-offset': '41',
      },
    });
  });

  it('retries parking until the quarantine store takes the record', async () => {
    const bug = new TypeError('bug');
    const { handler } = failingThen(bug, bug, bug);
    let parkAttempts = 0;
    const { context, sleeps } = harness(handler, {
      park: () => {
        parkAttempts += 1;
        return parkAttempts < 3 ? Promise.reject(named('MongoNetworkError')) : Promise.resolve();
      },
    });

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('parked');
    expect(parkAttempts).toBe(3);
    expect(sleeps).toEqual([100, 200, 100, 200]);
  });

  it('uses the injected classification', async () => {
    const { handler } = failingThen(new Error('E11000 duplicate key'));
    const { context, published } = harness(handler);
    context.policy = { ...context.policy, classify: () => 'invalid' };

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('dead-lettered');
    expect(published[0]?.messages[0]?.headers?.['x-dlq-reason']).toBe('E11000 duplicate key');
  });

  it('retries a transient failure to publish to the dead-letter topic', async () => {
    const { handler, calls } = failingThen(new InvalidMessageError('bad'));
    let publishAttempts = 0;
    const { context, sleeps } = harness(handler, {
      publish: () => {
        publishAttempts += 1;
        return publishAttempts === 1 ? Promise.reject(named('KafkaJSConnectionError')) : Promise.resolve();
      },
    });

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('dead-lettered');

    expect(calls).toHaveLength(1);
    expect(publishAttempts).toBe(2);
    expect(sleeps).toEqual([100]);
  });

  it('keeps trying to dead-letter when the publication fails, never losing the message', async () => {
    const { handler } = failingThen(new InvalidMessageError('bad'));
    let attempts = 0;
    const { context } = harness(handler, {
      publish: () => {
        attempts += 1;
        return attempts < 4 ? Promise.reject(new Error('unknown topic')) : Promise.resolve();
      },
    });

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('dead-lettered');
    expect(attempts).toBe(4);
  });

  it('ends retrying without committing when the subscription stops', async () => {
    const controller = new AbortController();
    const { handler, calls } = failingThen(new TransientError('a'), new TransientError('b'));
    const { context } = harness(handler, { signal: controller.signal });
    context.policy = {
      ...context.policy,
      sleep: () => {
        controller.abort();
        return Promise.resolve();
      },
    };

    await expect(consumeWithPolicy(message(), context)).resolves.toBe('aborted');
    expect(calls).toHaveLength(1);
  });
});

describe('tryBatch', () => {
  const policy = resolvePolicy({ logger: silentConsumerLogger });
  const run = [message({ offset: '1' }), message({ offset: '2' })];

  it('hands the run to the batch handler and says it was handled', async () => {
    const seen: string[][] = [];
    const handled = await tryBatch(run, {
      groupId: 'g',
      policy,
      batchHandler: (messages) => {
        seen.push(messages.map((m) => m.offset));
        return Promise.resolve();
      },
    });
    expect(handled).toBe(true);
    expect(seen).toEqual([['1', '2']]);
  });

  it('warns of a batch handler that failed, and only notes one that declined the run by design', async () => {
    const lines: Array<[string, string]> = [];
    const logger = {
      debug: (message: string) => lines.push(['debug', message]),
      warn: (message: string) => lines.push(['warn', message]),
      error: (message: string) => lines.push(['error', message]),
    };
    const logged = resolvePolicy({ logger });
    const declined = () => Promise.reject(new BatchDeclined('a late message'));
    const failed = () => Promise.reject(new Error('store down'));
    expect(await tryBatch(run, { groupId: 'g', policy: logged, batchHandler: declined })).toBe(false);
    expect(await tryBatch(run, { groupId: 'g', policy: logged, batchHandler: failed })).toBe(false);
    expect(lines.map(([level]) => level)).toEqual(['debug', 'warn']);
  });

  it('leaves the run to the one-by-one path when the handler rejects, when there is none, or for one message', async () => {
    const refuse = () => Promise.reject(new TransientError('store down'));
    expect(await tryBatch(run, { groupId: 'g', policy, batchHandler: refuse })).toBe(false);
    expect(await tryBatch(run, { groupId: 'g', policy })).toBe(false);
    let called = false;
    const batchHandler = () => {
      called = true;
      return Promise.resolve();
    };
    expect(await tryBatch([run[0]!], { groupId: 'g', policy, batchHandler })).toBe(false);
    expect(called).toBe(false);
  });

  it('cuts a list into consecutive slices', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 3)).toEqual([]);
  });
});
