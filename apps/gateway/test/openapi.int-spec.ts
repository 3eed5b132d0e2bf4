import { execFileSync } from 'node:child_process';
import { FIELD_BOUNDS, ID_PATTERNS, QUERY_LIMITS, TEXT_LIMITS } from '@keyward/messaging';
import {
  startCommandService,
  startGatewayApp,
  type CommandServiceHarness,
  type GatewayApp,
} from './gateway-app.harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** OpenAPI 3.0 has a place for these methods only. */
const OPENAPI_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];

/**
 * The real validator (ESM only, so it runs in a child Node process rather than in Jest's
 * module system): the document against the OpenAPI schema of its version.
 */
function validateOpenApi(document: unknown): { valid: boolean; errors?: unknown } {
  const script = `
    import { readFileSync } from 'node:fs';
    import { Validator } from '@seriousme/openapi-schema-validator';
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(readFileSync(0, 'utf8')));
    process.stdout.write(JSON.stringify({ version: validator.version, ...result }));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: process.cwd(),
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

/** Every route Fastify serves, as [METHOD, path], from `printRoutes`' tree. */
function registeredRoutes(printed: string): [string, string][] {
  const routes: [string, string][] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S*)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    stack.length = depth;
    stack.push(match[2]);
    if (match[3]) {
      const path = stack.join('');
      for (const method of match[3].split(', ')) routes.push([method, path]);
    }
  }
  return routes;
}

/** `/a/:id`, `/a/{id}` alike; a trailing wildcard (`/a*`, `/a/*`) as `/a/{path}`. */
function shape(path: string): string {
  return path.replace(/\/?\*$/, '/*').replace(/\{[^}]+\}|:[^/]+|\*/g, '{}');
}

describe('OpenAPI document at /api/docs-json', () => {
  let system: CommandServiceHarness;
  let gateway: GatewayApp;
  let document: Json;

  beforeAll(async () => {
    system = await startCommandService();
    gateway = await startGatewayApp(system.nats);
    const response = await gateway.fastify.inject({ method: 'GET', url: '/api/docs-json' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.json();
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await system?.stop();
  });

  it('is a valid OpenAPI 3 document', () => {
    const result = validateOpenApi(document);
    expect(result.errors).toBeUndefined();
    expect(result).toMatchObject({ valid: true, version: '3.0' });
  });

  it('documents every route Fastify serves under /api, with its method', () => {
    const printed = gateway.fastify.printRoutes({ commonPrefix: false });
    const routes = registeredRoutes(printed).filter(
      ([, path]) => path.startsWith('/api/') && !path.startsWith('/api/docs'),
    );
    expect(routes.length).toBeGreaterThan(20);
    const documented = new Map<string, Set<string>>();
    for (const [path, item] of Object.entries(document.paths as Json)) {
      documented.set(shape(path), new Set(Object.keys(item).map((m) => m.toUpperCase())));
    }
    const missing = routes.filter(([method, path]) => {
      const methods = documented.get(shape(path));
      if (!methods) return true;
      if (methods.has(method)) return false;
      // Fastify answers HEAD for every GET by itself; methods OpenAPI 3.0 has no field for
      // (QUERY, …) and TRACE on an any-method route (forward-auth) cannot be listed.
      if (method === 'HEAD') return !methods.has('GET');
      if (!OPENAPI_METHODS.includes(method)) return false;
      return !(method === 'TRACE' && methods.has('OPTIONS') && methods.has('PATCH'));
    });
    expect(missing).toEqual([]);
  });

  it('describes each field with the constraints the services apply', () => {
    const schemas = document.components.schemas as Json;
    const create = schemas.CreateServiceAccountBody;
    expect(create.required).toEqual(['name']);
    expect(create.properties.name).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: TEXT_LIMITS.name,
    });
    expect(create.properties.description.maxLength).toBe(TEXT_LIMITS.description);
    expect(create.properties.role.pattern).toBe(ID_PATTERNS.roleName.source);
    expect(create.properties.resources).toMatchObject({
      type: 'array',
      maxItems: 100,
      items: { pattern: ID_PATTERNS.resource.source },
    });
    expect(schemas.IssueKeyBody.properties.expiresAt).toMatchObject({
      type: 'integer',
      minimum: FIELD_BOUNDS.epochSeconds.min,
      maximum: FIELD_BOUNDS.epochSeconds.max,
    });
    expect(schemas.SetPolicyBody.properties.maxKeyLifetimeSeconds).toMatchObject({
      minimum: FIELD_BOUNDS.maxKeyLifetimeSeconds.min,
      maximum: FIELD_BOUNDS.maxKeyLifetimeSeconds.max,
      nullable: true,
    });
    expect(schemas.SetPolicyBody.properties.expiryNoticeSeconds).toMatchObject({
      minimum: 0,
      maximum: 31_536_000,
      nullable: true,
    });
    expect(schemas.PolicySchema.properties.expiryNoticeSeconds).toMatchObject({ nullable: true });
    expect(schemas.DefineRoleBody.properties.permissions.items.enum).toEqual([
      'read',
      'execute',
      'write',
      'delete',
      'admin',
    ]);
    expect(schemas.ErrorBodySchema.required).toEqual(['code', 'message']);

    const list = document.paths['/api/service-account/v1/service-account'].get;
    const limit = list.parameters.find((p: Json) => p.name === 'limit');
    expect(limit).toMatchObject({
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: QUERY_LIMITS.maxPageSize },
    });
    const path = document.paths['/api/service-account/v1/service-account/{id}/key/{keyId}'].delete;
    const keyId = path.parameters.find((p: Json) => p.name === 'keyId');
    expect(keyId).toMatchObject({ in: 'path', schema: { pattern: ID_PATTERNS.keyId.source } });
  });

  it('gives each route its security, error bodies, Idempotency-Key and X-Request-Id', () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      'basic',
      'bearer',
      'key',
      'operatorToken',
    ]);
    expect(document.components.securitySchemes.operatorToken).toEqual(
      expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Keyward-Operator-Token' }),
    );
    const create = document.paths['/api/service-account/v1/service-account'].post;
    expect(create.security).toEqual(
      expect.arrayContaining([{ bearer: [] }, { basic: [] }, { key: [] }]),
    );
    expect(create.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/CreateServiceAccountBody',
    );
    for (const status of ['400', '401', '403', '404', '409', '413', '415', '422', '429', '503']) {
      expect(create.responses[status].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/ErrorBodySchema',
      );
    }
    expect(create.responses['429'].headers['Retry-After']).toBeDefined();
    expect(create.responses['201'].headers['X-Request-Id']).toBeDefined();

    const bootstrap = document.paths['/api/operator/v1/organization'].post;
    expect(bootstrap.security).toEqual([{ operatorToken: [] }]);

    const headerNames = (operation: Json) =>
      (operation.parameters ?? []).map((p: Json) =>
        p.$ref ? document.components.parameters[p.$ref.split('/').pop()].name : p.name,
      );
    for (const [path, item] of Object.entries(document.paths as Json)) {
      for (const [method, operation] of Object.entries(item as Json)) {
        expect(headerNames(operation)).toContain('X-Request-Id');
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          const declared = (operation as Json).parameters.filter(
            (p: Json) => p.in === 'path' && p.name === name && p.required === true,
          );
          expect([path, method, name, declared.length]).toEqual([path, method, name, 1]);
        }
        if (method === 'post' && path.startsWith('/api/') && !path.startsWith('/api/auth/')) {
          expect([path, headerNames(operation)]).toEqual([
            path,
            expect.arrayContaining(['Idempotency-Key']),
          ]);
        }
      }
    }
  });

  it('serves the Swagger UI from swagger-ui-dist, without a CDN', async () => {
    const page = await gateway.fastify.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).not.toMatch(/https?:\/\//);
    const scripts = [...page.body.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toContain('docs/swagger-ui-bundle.js');
    for (const script of scripts) {
      const asset = await gateway.fastify.inject({ method: 'GET', url: `/api/${script}` });
      expect([script, asset.statusCode]).toEqual([script, 200]);
    }
    const init = await gateway.fastify.inject({
      method: 'GET',
      url: '/api/docs/swagger-ui-init.js',
    });
    expect(init.body).toContain('"docs-json"');
    const outside = await gateway.fastify.inject({ method: 'GET', url: '/api/docs/package.json' });
    expect(outside.statusCode).toBe(404);
  });
});
