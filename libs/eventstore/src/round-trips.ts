/**
 * Database round trips of this process, by store and kind of operation, told to whoever listens (the process
 * metrics, the bench). Counted where the clients are opened (connectMongo, openSqlite), so no adapter can forget.
 */
export type DatabaseStore = 'mongodb' | 'sqlite';
export type RoundTripListener = (store: DatabaseStore, operation: string) => void;

const listeners = new Set<RoundTripListener>();

/** Starts listening; the returned function stops. */
export function onDatabaseRoundTrip(listener: RoundTripListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function reportRoundTrip(store: DatabaseStore, operation: string): void {
  for (const listener of listeners) listener(store, operation);
}

/** The kind of a SQL statement: its first keyword (a `WITH` query reads, like a SELECT). */
export function sqlOperationOf(sql: string): string {
  const keyword = /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toLowerCase() ?? 'other';
  return keyword === 'with' ? 'select' : keyword;
}
