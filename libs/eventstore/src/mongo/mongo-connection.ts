import { MongoClient, type Db } from 'mongodb';
import { reportRoundTrip } from '../round-trips';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

/** One client per process; retryable writes are off because FerretDB v1 has no sessions to retry them in. */
export async function connectMongo(uri: string, database: string): Promise<MongoConnection> {
  const client = new MongoClient(uri, {
    retryWrites: false,
    serverSelectionTimeoutMS: 5_000,
    maxPoolSize: 20,
    // Each command sent is one round trip, reported by kind (find, insert, update, getMore, ...) for /metrics.
    monitorCommands: true,
  });
  client.on('commandStarted', (event) => reportRoundTrip('mongodb', event.commandName));
  await client.connect();
  const db = client.db(database);
  return { client, db, close: () => client.close() };
}
