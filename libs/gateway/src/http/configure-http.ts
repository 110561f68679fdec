import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { httpMetricsMiddleware } from '../ops/http-metrics.middleware';
import { MetricsService } from '../ops/metrics.service';
import { methodNotAllowedMiddleware } from './method-not-allowed.middleware';
import { allowedMethods, completeOpenApiDocument } from './openapi.document';

/** OpenAPI at /docs. Shared by the embedded and the distributed gateway. */
export function configureHttp(app: INestApplication): void {
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
