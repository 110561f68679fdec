import { documentIdOf, streamIdOf } from '@termline/domain';
import { eventually, uniqueName } from '@termline/testing';
import request from 'supertest';
import { TimelineProjector } from '@termline/projection';
import { DOCUMENT_TEXT_EXTRACTOR, type DocumentTextExtractor } from '@termline/versioning';
import { aFetch, ADMIN, INGEST, READER, type SystemUnderTest } from './system.scenarios';

const auth = (key: string) => ({ Authorization: `Bearer ${key}` });

interface QuarantineItem {
  id: string;
  kind: string;
  status: string;
  fetchId: string | null;
  documentId: string | null;
  attempts: number;
  error: { name: string; message: string };
}

/**
 * Issue 7, item 1: a message that trips a bug must not become a crash loop. For each consumer (versioning and
 * projection), a message that fails unexpectedly at every attempt is parked, visible to an operator (API and
 * metrics), later messages of the same document go on, and an admin replays it once the cause is gone.
 * `startSystem` records any consumer that stopped, and `close` fails the spec if one did.
 */
export function poisonScenarios(name: string, start: () => Promise<SystemUnderTest>): void {
  describe(`Poison messages: ${name}`, () => {
    let system: SystemUnderTest;
    let http: ReturnType<typeof request>;

    beforeAll(async () => {
      system = await start();
      http = request(system.app.getHttpServer());
    }, 60_000);
    afterAll(async () => {
      jest.restoreAllMocks();
      await system?.close();
    }, 30_000);

    const get = (path: string, key = READER) => http.get(path).set(auth(key));
    const quarantined = (predicate: (item: QuarantineItem) => boolean) =>
      eventually(async () => {
        const response = await get('/v1/admin/quarantine?status=parked', ADMIN);
        return (response.body as { items?: QuarantineItem[] }).items?.find(predicate);
      }, 30_000);
    const fetchStatus = async (fetchId: string) =>
      (await get(`/v1/fetches/${encodeURIComponent(fetchId)}`)).body as Record<string, unknown>;

    it('versioning: parks a fetch that keeps failing, records the next fetch of the document, replays it once fixed', async () => {
      const service = uniqueName('Poisoned Fetch').replace(/_/g, ' ');
      const extractor = system.app.get<DocumentTextExtractor>(DOCUMENT_TEXT_EXTRACTOR);
      const extract = extractor.extract.bind(extractor);
      let broken = true;
      jest.spyOn(extractor, 'extract').mockImplementation((context, snapshots) => {
        if (
          broken &&
          context.service === service &&
          snapshots.some((s) => s.fetchedAt.startsWith('2026-03-01'))
        ) {
          return Promise.reject(new RangeError('Maximum call stack size exceeded'));
        }
        return extract(context, snapshots);
      });

      const poison = aFetch({ service, fetchedAt: '2026-03-01T10:00:00Z' });
      await http.post('/v1/fetches').set(auth(INGEST)).send(poison).expect(202);
      const record = await quarantined((item) => item.fetchId === poison.fetchId);
      expect(record).toMatchObject({
        kind: 'FetchQuarantined',
        attempts: 3,
        error: { name: 'RangeError', message: 'Maximum call stack size exceeded' },
      });
      expect(await fetchStatus(poison.fetchId as string)).toMatchObject({
        status: 'quarantined',
        quarantineId: record.id,
        error: { message: 'Maximum call stack size exceeded' },
      });

      // The document's next fetch is recorded: the consumer moved on.
      const later = aFetch({ service, fetchedAt: '2026-03-02T10:00:00Z' });
      await http.post('/v1/fetches').set(auth(INGEST)).send(later).expect(202);
      await eventually(async () =>
        (await fetchStatus(later.fetchId as string)).status === 'recorded' ? true : undefined,
      );

      const metrics = await http.get('/metrics').expect(200);
      expect(metrics.text).toMatch(/termline_quarantined_messages\{kind="FetchQuarantined"\} [1-9]/);

      // Fixed: the replay records the parked fetch, as an earlier fetch of the document.
      broken = false;
      const replay = await http.post(`/v1/admin/quarantine/${record.id}/replay`).set(auth(ADMIN)).expect(202);
      expect(replay.body).toMatchObject({ id: record.id, replays: 1 });
      const recorded = await eventually(async () => {
        const status = await fetchStatus(poison.fetchId as string);
        return status.status === 'recorded' ? status : undefined;
      });
      expect(recorded).toMatchObject({ fetchId: poison.fetchId });
      const item = (await get(`/v1/admin/quarantine/${record.id}`, ADMIN).expect(200)).body as QuarantineItem;
      expect(item.status).toBe('replayed');
    }, 90_000);

    it('projection: parks a stream whose catch-up keeps failing, other documents go on, the replay catches it up', async () => {
      const service = uniqueName('Poisoned Projection').replace(/_/g, ' ');
      const projector = system.app.get(TimelineProjector);
      const catchUp = projector.catchUp.bind(projector);
      const poisoned = streamIdOf(documentIdOf(service, 'Terms of Service'));
      let broken = true;
      jest.spyOn(projector, 'catchUp').mockImplementation((store, streamId) => {
        if (broken && streamId === poisoned) {
          return Promise.reject(new RangeError('Maximum call stack size exceeded'));
        }
        return catchUp(store, streamId);
      });

      const poison = aFetch({ service });
      const accepted = await http.post('/v1/fetches').set(auth(INGEST)).send(poison).expect(202);
      const documentId = (accepted.body as { documentId: string }).documentId;
      const record = await quarantined(
        (item) => item.kind === 'ProjectionFailed' && item.documentId === documentId,
      );
      expect(record).toMatchObject({ attempts: 3, error: { message: 'Maximum call stack size exceeded' } });
      // Recorded in the event store all the same: only its read models are behind.
      expect(await fetchStatus(poison.fetchId as string)).toMatchObject({ status: 'recorded' });
      await get(`/v1/documents/${documentId}`).expect(404);

      // Another document is projected: the consumer moved on.
      const other = aFetch({ service: `${service} Other` });
      const otherId = (
        (await http.post('/v1/fetches').set(auth(INGEST)).send(other).expect(202)).body as {
          documentId: string;
        }
      ).documentId;
      await eventually(async () =>
        (await get(`/v1/documents/${otherId}`)).status === 200 ? true : undefined,
      );

      broken = false;
      await http.post(`/v1/admin/quarantine/${record.id}/replay`).set(auth(ADMIN)).expect(202);
      const document = await eventually(async () => {
        const response = await get(`/v1/documents/${documentId}`);
        return response.status === 200 ? (response.body as { versionCount: number }) : undefined;
      });
      expect(document.versionCount).toBe(1);
    }, 90_000);

    it('answers 404 for a quarantine record that does not exist, and refuses a bad filter', async () => {
      await http.post('/v1/admin/quarantine/fetch-000/replay').set(auth(ADMIN)).expect(404);
      await get('/v1/admin/quarantine?status=lost', ADMIN).expect(400);
      await get('/v1/admin/quarantine?cursor=fetch-000', ADMIN).expect(400);
      // Page by page, newest first, the records of one whole answer.
      type Page = { items: Array<{ id: string }>; nextCursor: string | null };
      const whole = (await get('/v1/admin/quarantine', ADMIN).expect(200)).body as Page;
      expect(whole.items.length).toBeGreaterThan(1);
      expect(whole.nextCursor).toBeNull();
      const ids: string[] = [];
      for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
        const page: Page = (
          await get(
            `/v1/admin/quarantine?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            ADMIN,
          ).expect(200)
        ).body as Page;
        ids.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      }
      expect(ids).toEqual(whole.items.map((i) => i.id));
      await get('/v1/admin/quarantine', READER).expect(403);
    });
  });
}
