import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { DomainError, type DomainErrorCode } from '@termline/domain';
import type { Request, Response } from 'express';
import { ProblemException, problemTypeOf, type Problem } from './problem';
import { storageProblemOf } from './storage-problem';

const STATUS_OF: Record<DomainErrorCode, number> = {
  'invalid-fetch': 422,
  'invalid-request': 400,
  'fetch-id-conflict': 409,
  // The names are the client's to change, as with any invalid fetch: 422, not a conflict of state.
  'document-id-collision': 422,
  'content-too-large': 413,
  'not-found': 404,
};

/** The one place errors become HTTP answers. Unknown errors are bugs: logged in full, answered as a bare 500. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Gateway');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const storage = storageProblemOf(error);
    const retryAfter =
      storage?.retryAfterSeconds ?? (error instanceof ProblemException ? error.retryAfterSeconds : undefined);
    if (retryAfter !== undefined) response.setHeader('Retry-After', String(retryAfter));
    const problem = { ...(storage?.problem ?? this.toProblem(error)), instance: request.originalUrl };
    if (problem.status >= 500)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof DomainError) {
      const status = STATUS_OF[error.code];
      return {
        type: problemTypeOf(error.code),
        title: error.code,
        status,
        detail: error.message,
        code: error.code,
        ...(error.details.length ? { errors: error.details } : {}),
      };
    }
    if (error instanceof HttpException) {
      const body = error.getResponse();
      if (typeof body === 'object' && body !== null && 'type' in body && 'code' in body)
        return body as Problem;
      const status = error.getStatus();
      const detail =
        typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      const code = status === 404 ? 'not-found' : status === 413 ? 'content-too-large' : 'http-error';
      return {
        type: problemTypeOf(code),
        title: error.name,
        status,
        detail: Array.isArray(detail)
          ? detail.join('; ')
          : typeof detail === 'string'
            ? detail
            : JSON.stringify(detail),
        code,
      };
    }
    const bodyParser = error as { type?: string; status?: number; message?: string };
    if (bodyParser.type === 'entity.parse.failed') {
      return {
        type: problemTypeOf('malformed-json'),
        title: 'Bad Request',
        status: 400,
        detail: `Malformed JSON: ${bodyParser.message ?? ''}`,
        code: 'malformed-json',
      };
    }
    if (bodyParser.type === 'entity.too.large') {
      return {
        type: problemTypeOf('content-too-large'),
        title: 'Content Too Large',
        status: 413,
        detail: 'The request body is over the size limit',
        code: 'content-too-large',
      };
    }
    if (bodyParser.type === 'charset.unsupported' || bodyParser.type === 'encoding.unsupported') {
      return {
        type: problemTypeOf('unsupported-encoding'),
        title: 'Unsupported Media Type',
        status: 415,
        detail: bodyParser.message ?? '',
        code: 'unsupported-encoding',
      };
    }
    return {
      type: problemTypeOf('internal'),
      title: 'Internal Server Error',
      status: 500,
      detail: 'An unexpected error occurred; it has been logged',
      code: 'internal',
    };
  }
}
