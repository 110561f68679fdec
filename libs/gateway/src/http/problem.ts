import { HttpException } from '@nestjs/common';

/** RFC 9457 problem details: every error the gateway answers has this shape and `application/problem+json`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: readonly string[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problemTypeOf = (code: string): string => `https://termline.dev/problems/${code}`;

export class ProblemException extends HttpException {
  /**
   * `retryAfterSeconds`: the request may succeed if sent again after this long (the service is busy, not the request
   * wrong); the problem filter answers it as `Retry-After`.
   */
  constructor(
    status: number,
    code: string,
    detail: string,
    errors?: readonly string[],
    readonly retryAfterSeconds?: number,
  ) {
    const problem: Problem = {
      type: problemTypeOf(code),
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      code,
      ...(errors && errors.length > 0 ? { errors } : {}),
    };
    super(problem, status);
  }
}
