import type { INestApplication } from '@nestjs/common';
import { TERMLINE_CONFIG, type TermlineConfig } from '@termline/config';
import type { Server } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { httpMetricsMiddleware } from '../ops/http-metrics.middleware';
import { MetricsService } from '../ops/metrics.service';
import { methodNotAllowedMiddleware } from './method-not-allowed.middleware';
import { allowedMethods, completeOpenApiDocument } from './openapi.document';

/**
 * A client has this long to send a request's headers. Node's default is a minute, checked every 30 s: 19,500 idle
 * connections that never finished their headers held the process at its file descriptor limit for about 90 s, and
 * every other client was refused meanwhile.
 */
export const HEADERS_TIMEOUT_MS = 15_000;

/** Connection limits, then OpenAPI at /docs. Shared by the embedded and the distributed gateway. */
export function configureHttp(app: INestApplication): void {
  const server = app.getHttpServer() as Server;
  // Past the limit, new connections are closed at once: the descriptors the stores, the log and the text-work
  // threads need stay free, and the connections already open are served.
  server.maxConnections = app.get<TermlineConfig>(TERMLINE_CONFIG).maxConnections;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  // No global body parser (the app is created with bodyParser: false): ingest reads its body itself, with limits.
  (app as NestExpressApplication).disable('x-powered-by');
  app.use(httpMetricsMiddleware(app.get(MetricsService)));
  const document = completeOpenApiDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Termline')
        .setDescription(
          'How the legal documents of online services change: versions, timelines, diffs, and the raw archive.',
        )
        .setVersion('1')
        .build(),
    ),
  );
  app.use(methodNotAllowedMiddleware(allowedMethods(document)));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
