import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service';

/**
 * Counts every answer by the status it really went out with. It listens for the response's `finish`, after the
 * exception filter set the status, and runs before guards, so 401 and 403 (which never reach an interceptor) are
 * counted like the rest.
 */
export function httpMetricsMiddleware(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const stop = metrics.httpDuration.startTimer();
    response.once('finish', () => {
      // Known only once routing ran; a path no route matched is one label, so URLs cannot blow up the series.
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const labels = { method: request.method, route };
      stop(labels);
      metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) });
    });
    next();
  };
}
