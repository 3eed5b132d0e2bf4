import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { HEADERS } from '@keyward/messaging';
import { SECURITY } from './decorators';
import { ErrorBodySchema, errorResponse } from './error.schema';
import { IDEMPOTENCY_KEY_PATTERN, REQUEST_ID_PATTERN } from './fields';
import { serveSwaggerUi } from './swagger-ui';
import { isExempt } from '../rate-limit/rate-limits';

/** The UI; the document is at `${DOCS_PATH}-json`. */
export const DOCS_PATH = '/api/docs';
export const DOCS_JSON_PATH = `${DOCS_PATH}-json`;

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Operation = {
  parameters?: (
    { name: string; in: string; required?: boolean; schema?: unknown } | { $ref: string }
  )[];
  responses: Record<string, { headers?: Record<string, unknown> }>;
  security?: unknown[];
  tags?: string[];
};

/**
 * The OpenAPI 3 document of every route, at /api/docs-json, and the Swagger UI at /api/docs
 * (assets from swagger-ui-dist, no CDN). Built once at start from the controllers'
 * decorators; `finishDocument` adds what holds for every route.
 */
export function setupOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Keyward')
    .setDescription(
      'Service accounts and API keys. Every route is one request to the service that decides ' +
        "it; the gateway validates nothing itself, so the constraints below are the services'. " +
        'Times are epoch seconds. Every error is `{code, message, details?}`. Rate limits are ' +
        'per gateway replica.',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'kw_<env>_<46 base62>',
        description: '`Authorization: Bearer <key>`',
      },
      SECURITY.bearer,
    )
    .addBasicAuth(
      {
        type: 'http',
        scheme: 'basic',
        description:
          'Service-account id as the user and a key as the password, for accounts created ' +
          'with `enableBasicAuth`',
      },
      SECURITY.basic,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: HEADERS.authorization,
        description: 'The bare key as the whole `Authorization` header (seed 003)',
      },
      SECURITY.bareKey,
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: HEADERS.operatorToken,
        description:
          "The deployment's operator token (`KEYWARD_OPERATOR_TOKEN`), for bootstrap only",
      },
      SECURITY.operatorToken,
    )
    .build();
  const document = finishDocument(
    SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodySchema] }),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    // The UI is served by serveSwaggerUi: @fastify/static, which Nest's would need, is not loaded.
    ui: false,
  });
  serveSwaggerUi(app.getHttpAdapter().getInstance(), DOCS_PATH, 'Keyward API');
  return document;
}

/**
 * What holds for every route: `X-Request-Id` in and out, `Idempotency-Key` on every POST that
 * writes, and under /api the unavailable (503) and, where a limit applies, rate-limited (429)
 * answers; every path template has its parameter. Also drops the methods an `@All()` route
 * gets that OpenAPI 3.0 has no place for (`search`).
 */
export function finishDocument(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.parameters = {
    ...components.parameters,
    RequestId: {
      name: 'X-Request-Id',
      in: 'header',
      required: false,
      description:
        'Correlation id, recorded in every event the request causes and echoed on the ' +
        'response; a new one when absent or not 1-200 printable ASCII characters',
      schema: { type: 'string', pattern: REQUEST_ID_PATTERN },
    },
    IdempotencyKey: {
      name: HEADERS.idempotencyKey,
      in: 'header',
      required: false,
      description: 'A retry with the same key applies once and answers as the first time',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
    },
  };
  components.headers = {
    ...components.headers,
    RequestId: {
      description: "The request's correlation id (the one sent, or a new one)",
      schema: { type: 'string' },
    },
  };
  document.paths['/metrics'] = {
    get: {
      tags: ['operations'],
      summary: 'Prometheus metrics of this replica',
      operationId: 'metrics',
      responses: {
        '200': {
          description: 'Prometheus text exposition format',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
      },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    const record = item as Record<string, unknown>;
    const pathItemFields = ['parameters', 'summary', 'description', 'servers', '$ref'];
    for (const key of Object.keys(record)) {
      const kept =
        (OPERATIONS as readonly string[]).includes(key) ||
        pathItemFields.includes(key) ||
        key.startsWith('x-');
      if (!kept) delete record[key];
    }
    for (const method of OPERATIONS) {
      const operation = record[method] as Operation | undefined;
      if (!operation) continue;
      const parameters = (operation.parameters ??= []);
      const named = (name: string) =>
        parameters.some(
          (p) => 'name' in p && p.in === 'header' && p.name?.toLowerCase() === name.toLowerCase(),
        );
      // Every `{name}` of the path is a parameter (a wildcard route's `{path}` has none yet).
      for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
        const declared = parameters.some((p) => 'name' in p && p.in === 'path' && p.name === name);
        if (!declared) {
          parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
        }
      }
      if (!named('X-Request-Id')) {
        parameters.push({ $ref: '#/components/parameters/RequestId' });
      }
      const api = path.startsWith('/api/');
      // verify, authorize and forward-auth change nothing: a retry needs no Idempotency-Key.
      const writes = api && !path.startsWith('/api/auth/');
      if (method === 'post' && writes && !named(HEADERS.idempotencyKey)) {
        parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
      }
      if (api && !isExempt(path)) operation.responses['429'] ??= errorResponse(429);
      if (api) operation.responses['503'] ??= errorResponse(503);
      for (const response of Object.values(operation.responses)) {
        response.headers = {
          ...response.headers,
          'X-Request-Id': { $ref: '#/components/headers/RequestId' },
        };
      }
    }
  }
  return document;
}
