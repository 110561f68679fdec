import { ConsoleLogger, Logger } from '@nestjs/common';
import { StructuredLogger } from '@termline/platform';
import { describeWithKafkaAndMongo, eventually, tempDir, uniqueName } from '@termline/testing';
import { Writable } from 'node:stream';
import request from 'supertest';
import { startDistributedSystem } from './distributed-system';
import { aFetch, configFor, INGEST, READER, startSystem, type SystemUnderTest } from './system.scenarios';

/**
 * A fetch followed through the logs: what the versioning consumer and the projection write about it carries its
 * fetch id, its correlation id and the message that caused the step, across the log or topics between them.
 */
function followsAFetchThroughTheLogs(name: string, start: () => Promise<SystemUnderTest>): void {
  describe(`structured logs of a fetch: ${name}`, () => {
    const lines: Record<string, unknown>[] = [];
    let system: SystemUnderTest;

    beforeAll(async () => {
      system = await start();
      // Nest's loggers route to the static instance at every call: lines from now on land here, as JSON, down to
      // debug (the app itself started at warn, to keep its start-up lines out of the test's output).
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
            lines.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      Logger.overrideLogger(
        StructuredLogger.create({ level: 'debug', format: 'json', service: 'termline', destination }),
      );
    }, 60_000);

    afterAll(async () => {
      Logger.overrideLogger(new ConsoleLogger());
      await system?.close();
    }, 30_000);

    it('names the fetch id in the versioning and projection lines, with the caller correlation id', async () => {
      const http = request(system.app.getHttpServer());
      const fetch = aFetch({ service: uniqueName('Logs').replace(/_/g, ' ') });
      const fetchId = fetch.fetchId as string;
      await http
        .post('/v1/fetches')
        .set({ Authorization: `Bearer ${INGEST}`, 'X-Correlation-Id': 'req-logs-1' })
        .send(fetch)
        .expect(202);
      await eventually(async () => {
        const answer = await http
          .get(`/v1/fetches/${encodeURIComponent(fetchId)}`)
          .set({ Authorization: `Bearer ${READER}` });
        return answer.status === 200 ? true : undefined;
      }, 40_000);
      const about = (context: string) =>
        eventually(() => {
          const found = lines.filter((line) => line.context === context && line.fetchId === fetchId);
          return Promise.resolve(found.length > 0 ? found : undefined);
        }, 40_000);

      const versioning = await about('FetchConsumer');
      const projection = await about('DocumentEventsConsumer');

      expect(versioning[0]).toMatchObject({
        level: 'debug',
        service: 'termline',
        correlationId: 'req-logs-1',
        causationId: expect.stringMatching(/fetcher\.fetches\.v1\/\d+\/\d+$/),
      });
      expect(versioning[0]!.msg).toMatch(/^Fetch recorded \(new-version, \d+ events\)$/);
      expect(projection[0]).toMatchObject({
        correlationId: 'req-logs-1',
        causationId: expect.stringMatching(/versioning\.document-events\.v1\/\d+\/\d+$/),
        documentId: expect.any(String),
      });
      expect(projection[0]!.msg).toMatch(/projected up to version \d+$/);
    }, 90_000);
  });
}

const dir = tempDir('termline-logs-e2e-');
afterAll(() => dir.remove());

followsAFetchThroughTheLogs('embedded mode (the message log between the consumers)', () =>
  startSystem('embedded', configFor({ TERMLINE_DATA_DIR: dir.path }), () =>
    Promise.reject(new Error('not used')),
  ),
);

describeWithKafkaAndMongo('distributed adapters', () => {
  followsAFetchThroughTheLogs('Kafka headers between the consumers', () =>
    startDistributedSystem(uniqueName('e2e_logs')),
  );
});
