import type { NextFunction, Request, Response } from 'express';
import { problemTypeOf, type Problem } from './problem';

/**
 * A documented path asked with a method it does not have is answered 405 with an Allow header (RFC 9110), not
 * 404: the resource exists. Paths come from the OpenAPI document, so the answer never disagrees with it.
 */
export function methodNotAllowedMiddleware(routes: ReadonlyArray<{ path: RegExp; allow: string[] }>) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const route = routes.find((candidate) => candidate.path.test(request.path));
    if (!route || route.allow.includes(request.method)) return next();
    const problem: Problem = {
      type: problemTypeOf('method-not-allowed'),
      title: 'Method Not Allowed',
      status: 405,
      detail: `${request.method} is not allowed here; allowed: ${route.allow.join(', ')}`,
      code: 'method-not-allowed',
      instance: request.originalUrl,
    };
    // The request body is not read: drain it, so the connection stays usable.
    request.resume();
    response
      .status(405)
      .setHeader('Allow', route.allow.join(', '))
      .type('application/problem+json')
      .send(JSON.stringify(problem));
  };
}
