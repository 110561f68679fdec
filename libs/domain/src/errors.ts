/**
 * Operational errors of the domain, each with a stable code. Transports map codes once: the gateway to
 * problem+json statuses, consumers to the dead-letter topic. Anything else thrown is a bug.
 */
export type DomainErrorCode =
  | 'invalid-fetch'
  | 'fetch-id-conflict'
  | 'document-id-collision'
  | 'content-too-large'
  | 'not-found'
  | 'invalid-request';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
