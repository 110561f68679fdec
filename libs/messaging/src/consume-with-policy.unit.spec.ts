import {
  backoffDelay,
  classifyError,
  ConsumerFailedError,
  consumeWithPolicy,
  DEFAULT_BACKOFF,
  InvalidMessageError,
  resolvePolicy,
  silentConsumerLogger,
  TransientError,
  type ConsumeContext,
} from './consume-with-policy';
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
    ['an error named InvalidMessageError from another copy of the library', named('InvalidMessageError'), 'invalid'],
    ['TransientError', new TransientError('try later'), 'transient'],
    ['KafkaJSConnectionError', named('KafkaJSConnectionError'), 'transient'],
    ['MongoNetworkError', named('MongoNetworkError'), 'transient'],
    ['MongoServerSelectionError', named('MongoServerSelectionError'), 'transient'],
    ['ConcurrencyError', named('ConcurrencyError'), 'transient'],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'transient'],
    ['ETIMEDOUT', Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), 'transient'],
    ['a network error wrapped as a cause', new Error('save failed', { cause: named('MongoNetworkError') }), 'transient'],
    ['TypeError (a bug)', new TypeError("Cannot read properties of undefined (reading 'id')"), 'fatal'],
    ['a plain Error', new Error('boom'), 'fatal'],
    ['a thrown string', 'boom', 'fatal'],
    ['undefined', undefined, 'fatal'],
  ])('classifies %s', (_label, error, expected) => {
    expect(classifyError(error)).toBe(expected);
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
    const { handler, calls } = failingThen(new InvalidMessageError('missing documentId', { code: 'E_SCHEMA' }));
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

  it('gives up on a transient error after the maximum number of attempts, as fatal', async () => {
    const errors = Array.from({ length: 10 }, () => new TransientError('store down'));
    const { handler, calls } = failingThen(...errors);
    const { context, sleeps } = harness(handler);

    const outcome = consumeWithPolicy(message(), context);

    await expect(outcome).rejects.toBeInstanceOf(ConsumerFailedError);
    await expect(outcome).rejects.toThrow(/gave up after 8 attempts: TransientError: store down/);
    expect(calls).toHaveLength(8);
    expect(sleeps).toEqual([100, 200, 400, 800, 1600, 3200, 6400]);
  });

  it('follows a configured backoff', async () => {
    const { handler, calls } = failingThen(new TransientError('a'), new TransientError('b'), new TransientError('c'));
    const { context, sleeps } = harness(handler);
    context.policy = { ...context.policy, backoff: { initialMs: 10, factor: 3, maxMs: 50, maxAttempts: 3 } };

    await expect(consumeWithPolicy(message(), context)).rejects.toThrow(/gave up after 3 attempts/);

    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([10, 30]);
  });

  it('stops at once on a bug, naming the message it stopped on, without dead-lettering', async () => {
    const bug = new TypeError('x is not a function');
    const { handler, calls } = failingThen(bug);
    const { context, sleeps, published } = harness(handler);

    const error = await consumeWithPolicy(message(), context).catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(ConsumerFailedError);
    expect(error).toMatchObject({ topic: 'fetcher.fetches.v1', partition: 2, offset: '41', cause: bug });
    expect((error as Error).message).toContain('versioning.record-fetch stopped on fetcher.fetches.v1[2]@41');
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(published).toEqual([]);
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

  it('stops as fatal when the dead-letter publication fails for good', async () => {
    const { handler } = failingThen(new InvalidMessageError('bad'));
    const { context } = harness(handler, { publish: () => Promise.reject(new Error('unknown topic')) });

    await expect(consumeWithPolicy(message(), context)).rejects.toThrow(/unknown topic/);
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
