import type { INestApplication } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@termline/eventstore';
import { IngestService } from '@termline/gateway';
import { DEMO_COLLECTION } from './demo-collection';

/** On first start (an empty event store) the demo fetches go through the normal ingest path, in order. */
export async function loadDemoCollection(app: INestApplication): Promise<number> {
  const eventStore = app.get<EventStore>(EVENT_STORE);
  if ((await eventStore.streamIds()).length > 0) return 0;
  const ingest = app.get(IngestService);
  for (const fetch of DEMO_COLLECTION) await ingest.ingest(fetch, `demo:${fetch.fetchId}`);
  return DEMO_COLLECTION.length;
}
