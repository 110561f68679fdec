import { eventually, tempDir, uniqueName, type TempDir } from '@termline/testing';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { silentConsumerLogger } from '../consume-with-policy';
import { messageBusContract } from '../message-bus.contract';
import { SqliteMessageBus } from './sqlite-message-bus';

let dir: TempDir;
beforeAll(() => {
  dir = tempDir('termline-bus-');
});
afterAll(() => dir.remove());

// Every bus of this file opens the same log file, so a new bus is a restart.
messageBusContract('SQLite (embedded)', () => {
  const bus = new SqliteMessageBus(join(dir.path, 'bus.sqlite'), {
    policy: { logger: silentConsumerLogger },
  });
  return Promise.resolve({ bus, cleanup: () => bus.close() });
});

describe('SqliteMessageBus', () => {
  it('sees messages that another process wrote to the same file, by polling', async () => {
    // Two paths to one file: the buses cannot wake each other in-process, as with two processes.
    const linked = join(dir.path, 'linked');
    symlinkSync(dir.path, linked);
    const writer = new SqliteMessageBus(join(dir.path, 'shared.sqlite'));
    const reader = new SqliteMessageBus(join(linked, 'shared.sqlite'), { pollIntervalMs: 50 });
    const topic = uniqueName('poll');
    const received: string[] = [];
    try {
      await writer.ensureTopics([topic]);
      await reader.subscribe({
        groupId: uniqueName('poll'),
        topic,
        handler: (message) => {
          received.push(message.value);
          return Promise.resolve();
        },
      });

      await writer.publish(topic, [
        { key: 'doc-1', value: 'a' },
        { key: 'doc-2', value: 'b' },
      ]);

      await eventually(() => Promise.resolve(received.length >= 2 ? received : undefined), 5_000);
      expect(received).toEqual(['a', 'b']);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('orders all messages of a topic, whatever their key', async () => {
    const bus = new SqliteMessageBus(join(dir.path, 'bus.sqlite'));
    const topic = uniqueName('total-order');
    const offsets: string[] = [];
    try {
      await bus.ensureTopics([topic]);
      await bus.publish(topic, [{ key: 'x', value: '0' }]);
      await bus.publish(topic, [
        { key: 'y', value: '1' },
        { key: 'z', value: '2' },
      ]);
      const subscription = await bus.subscribe({
        groupId: uniqueName('total-order'),
        topic,
        handler: (message) => {
          offsets.push(`${message.partition}:${message.offset}:${message.value}`);
          return Promise.resolve();
        },
      });
      await eventually(() => Promise.resolve(offsets.length >= 3 ? offsets : undefined), 5_000);
      await subscription.stop();
      expect(offsets).toEqual(['0:0:0', '0:1:1', '0:2:2']);
    } finally {
      await bus.close();
    }
  });

  it('reads a backlog of large messages a bounded number of characters at a time, and hands over each in order', async () => {
    const bus = new SqliteMessageBus(join(dir.path, 'large.sqlite'), { batchChars: 2_500 });
    const topic = uniqueName('large');
    const values = ['a', 'b', 'c', 'd', 'e'].map((letter) => letter.repeat(1_000));
    // Larger than the bound alone: read by itself, not refused nor skipped.
    values.splice(3, 0, 'x'.repeat(4_000));
    const received: string[] = [];
    try {
      await bus.ensureTopics([topic]);
      await bus.publish(
        topic,
        values.map((value) => ({ key: 'k', value })),
      );
      expect(bus.readBatch(topic, 0).map((row) => row.offset)).toEqual([0, 1]);
      expect(bus.readBatch(topic, 2).map((row) => row.offset)).toEqual([2]);
      expect(bus.readBatch(topic, 3).map((row) => row.offset)).toEqual([3]);
      expect(bus.readBatch(topic, 4).map((row) => row.offset)).toEqual([4, 5]);
      const subscription = await bus.subscribe({
        groupId: uniqueName('large'),
        topic,
        handler: (message) => {
          received.push(message.value);
          return Promise.resolve();
        },
      });
      await eventually(() => Promise.resolve(received.length >= values.length ? received : undefined), 5_000);
      await subscription.stop();
      expect(received).toEqual(values);
    } finally {
      await bus.close();
    }
  });

  it('retries its own commit when the disk is full, without stopping or handling the message twice', async () => {
    const bus = new SqliteMessageBus(join(dir.path, 'bus.sqlite'), {
      policy: { logger: silentConsumerLogger, backoff: { initialMs: 5 } },
    });
    const topic = uniqueName('commit-full');
    const groupId = uniqueName('commit-full');
    const handled: string[] = [];
    const commit = bus.commit.bind(bus);
    let failures = 2;
    jest.spyOn(bus, 'commit').mockImplementation((...args) => {
      if (failures-- > 0) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      commit(...args);
    });
    try {
      await bus.ensureTopics([topic]);
      const subscription = await bus.subscribe({
        groupId,
        topic,
        handler: (message) => {
          handled.push(message.value);
          return Promise.resolve();
        },
      });
      await bus.publish(topic, [
        { key: 'doc-1', value: 'a' },
        { key: 'doc-1', value: 'b' },
      ]);
      await eventually(() => Promise.resolve(handled.length >= 2 ? handled : undefined), 5_000);
      expect(handled).toEqual(['a', 'b']);
      await eventually(
        () => Promise.resolve(bus.committedOffset(groupId, topic) === 2 ? true : undefined),
        5_000,
      );
      await expect(Promise.race([subscription.failed, Promise.resolve('running')])).resolves.toBe('running');
    } finally {
      await bus.close();
    }
  });

  it('hands nothing over before what it read is on disk: a failed sync is retried, then each message handled once', async () => {
    const bus = new SqliteMessageBus(join(dir.path, 'bus.sqlite'), {
      policy: { logger: silentConsumerLogger, backoff: { initialMs: 5, maxMs: 20 } },
    });
    const topic = uniqueName('sync-failed');
    const groupId = uniqueName('sync-failed');
    const handled: string[] = [];
    const onDisk = bus.onDisk.bind(bus);
    let failures = 2;
    const syncs = jest.spyOn(bus, 'onDisk').mockImplementation((...args) => {
      if (failures-- > 0) return Promise.reject(Object.assign(new Error('I/O error'), { code: 'EIO' }));
      return onDisk(...args);
    });
    try {
      await bus.ensureTopics([topic]);
      await bus.publish(topic, [
        { key: 'doc-1', value: 'a' },
        { key: 'doc-1', value: 'b' },
      ]);
      const subscription = await bus.subscribe({
        groupId,
        topic,
        handler: (message) => {
          // Handled only once a sync of what was read succeeded.
          expect(failures).toBeLessThan(0);
          handled.push(message.value);
          return Promise.resolve();
        },
      });
      await eventually(() => Promise.resolve(handled.length >= 2 ? handled : undefined), 5_000);
      expect(handled).toEqual(['a', 'b']);
      expect(syncs.mock.calls.length).toBeGreaterThanOrEqual(3);
      await expect(Promise.race([subscription.failed, Promise.resolve('running')])).resolves.toBe('running');
    } finally {
      await bus.close();
    }
  });

  it('refuses a second member of the same group in one process, and subscriptions to unknown topics', async () => {
    const bus = new SqliteMessageBus(join(dir.path, 'bus.sqlite'));
    const topic = uniqueName('members');
    const groupId = uniqueName('members');
    const handler = () => Promise.resolve();
    try {
      await bus.ensureTopics([topic]);
      await bus.subscribe({ groupId, topic, handler });
      await expect(bus.subscribe({ groupId, topic, handler })).rejects.toThrow(/already has a member/);
      await expect(bus.subscribe({ groupId, topic: uniqueName('missing'), handler })).rejects.toThrow(
        /Unknown topic/,
      );
    } finally {
      await bus.close();
    }
  });
});
