import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a log line is about, carried along the async calls of one unit of work (a fetch in the versioning
 * consumer, a document event in the projection) so that every line written meanwhile names it, whoever writes it.
 */
export interface LogContext {
  /** The fetch the work is about: the id an operator searches the logs of the three processes for. */
  fetchId?: string;
  /** The request or import that started the work; a fetch's own id when nothing else started it. */
  correlationId?: string;
  /** The message or event that caused this step: a topic position, an event id. */
  causationId?: string;
  documentId?: string;
}

/** Kafka (and message log) headers that carry the log context from one process to the next. */
export const TRACE_HEADERS = {
  fetchId: 'x-fetch-id',
  correlationId: 'x-correlation-id',
  causationId: 'x-causation-id',
} as const;

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with the context added to the one in force (inner values win). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  const merged: LogContext = { ...storage.getStore() };
  for (const [key, value] of Object.entries(context) as [keyof LogContext, string | undefined][]) {
    if (value !== undefined && value !== '') merged[key] = value;
  }
  return storage.run(merged, work);
}

export const currentLogContext = (): LogContext => storage.getStore() ?? {};

/**
 * The context of the work a consumed message starts: the fetch and correlation ids it carried in its headers, and
 * the message itself (where it sits in its log) as the cause. Its own `x-causation-id` names what caused the
 * message, one step further back, and stays in the message.
 */
export function logContextOfMessage(message: {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  headers: Record<string, string>;
}): LogContext {
  const header = (name: string) => message.headers[name] || undefined;
  return {
    fetchId: header(TRACE_HEADERS.fetchId),
    correlationId: header(TRACE_HEADERS.correlationId),
    causationId: `${message.topic}/${message.partition}/${message.offset}`,
    documentId: message.key || undefined,
  };
}

/** Headers for a message sent on behalf of the work in progress, from its context. */
export function traceHeaders(context: LogContext): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, header] of Object.entries(TRACE_HEADERS) as [keyof typeof TRACE_HEADERS, string][]) {
    const value = context[key];
    if (value) headers[header] = value;
  }
  return headers;
}
