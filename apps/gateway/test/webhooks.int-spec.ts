import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection, type Subscription } from 'nats';
import {
  WEBHOOK_QUERY_SUBJECTS,
  type Reply,
  type WebhookDeliveryView,
  type WebhookEndpointView,
} from '@keyward/messaging';
import {
  startCommandService,
  startGatewayApp,
  type CommandServiceHarness,
  type GatewayApp,
} from './gateway-app.harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BASE = '/api/webhook/v1/endpoint';
const MISSING = 'whe_00000000000000000000000000000000';

/** What the notifier's queries answer here: one endpoint, one delivery, or WEBHOOK.NOT_FOUND. */
const VIEW: WebhookEndpointView = {
  id: 'whe_0123456789abcdef0123456789abcdef',
  url: 'https://hooks.example.com/keyward',
  description: 'stub',
  eventTypes: null,
  status: 'disabled',
  disabledReason: 'failing',
  createdAt: 1767225600,
  updatedAt: 1767225700,
  failingSince: 1767225650,
  lastDeliveryAt: 1767225690,
  lastDeliveryStatus: 'failed',
};
const DELIVERY: WebhookDeliveryView = {
  id: '0b6c1d3e-6f0a-4a53-9d7e-2f1c9b8e4a10',
  type: 'key.revoked',
  position: '42',
  status: 'failed',
  createdAt: 1767225600123,
  nextAttemptAt: null,
  attempts: [
    {
      attempt: 1,
      at: 1767225600200,
      statusCode: 500,
      latencyMs: 12,
      error: 'answered 500',
      outcome: 'failed',
    },
  ],
};

interface Asked {
  subject: string;
  body: Json;
  authorization: string | undefined;
}

/**
 * The webhook routes on the real gateway app: commands go to the real command service (they
 * decide, the gateway maps their codes to statuses); queries, which the notifier answers, go to
 * a stand-in on the same NATS server that records what the gateway sent.
 */
describe('webhook routes', () => {
  let system: CommandServiceHarness;
  let gateway: GatewayApp;
  let notifier: NatsConnection;
  let stubs: Subscription[] = [];
  let admin: string;
  let member: string;
  const asked: Asked[] = [];
  const saved = { ...process.env };

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    key: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    gateway.fastify.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}`, ...headers },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });

  beforeAll(async () => {
    // The command service seals signing secrets under this key; loopback is allowed, as in dev.
    process.env.KEYWARD_WEBHOOK_SECRET_KEY = randomBytes(32).toString('base64');
    process.env.KEYWARD_WEBHOOK_ALLOWED_NETWORKS = '127.0.0.0/8,::1/128';
    system = await startCommandService();
    gateway = await startGatewayApp(system.nats);
    admin = (await system.bootstrap('acme')).key.secret as string;
    const added = await call('POST', '/api/member/v1/member', admin, {
      userId: 'bob',
      displayName: 'Bob',
      grants: [{ resource: 'db:orders', role: 'admin' }],
    });
    expect(added.statusCode).toBe(201);
    member = (await call('POST', '/api/member/v1/member/bob/key', admin, {})).json().secret;

    notifier = await connect(system.nats.settings('operator'));
    stubs = Object.values(WEBHOOK_QUERY_SUBJECTS).map((subject) =>
      notifier.subscribe(subject, {
        callback: (_error, message) => {
          const body = message.json<Json>();
          asked.push({
            subject: message.subject,
            body,
            authorization: message.headers?.get('Authorization') || undefined,
          });
          let reply: Reply<unknown>;
          if (body.endpointId === MISSING) {
            reply = {
              ok: false,
              error: { code: 'WEBHOOK.NOT_FOUND', message: 'no such endpoint', kind: 'not_found' },
            };
          } else if (message.subject === WEBHOOK_QUERY_SUBJECTS.get) {
            reply = { ok: true, data: VIEW };
          } else if (message.subject === WEBHOOK_QUERY_SUBJECTS.list) {
            reply = { ok: true, data: { items: [VIEW], nextCursor: 'next' } };
          } else {
            reply = { ok: true, data: { items: [DELIVERY], nextCursor: null } };
          }
          message.respond(JSON.stringify(reply));
        },
      }),
    );
    await notifier.flush();
  }, 60_000);

  afterAll(async () => {
    for (const stub of stubs) stub.unsubscribe();
    await notifier?.drain();
    await gateway?.close();
    await system?.stop();
    process.env = saved;
  });

  beforeEach(() => asked.splice(0));

  it('registers with 201 and the signing secret, then changes, disables, enables and deletes (204)', async () => {
    const registered = await call(
      'POST',
      BASE,
      admin,
      { url: 'http://127.0.0.1:9/hook', description: 'ci', eventTypes: ['key.revoked', 'key.*'] },
      { 'idempotency-key': 'register-1' },
    );
    expect(registered.statusCode).toBe(201);
    const endpoint = registered.json();
    expect(endpoint).toMatchObject({
      id: expect.stringMatching(/^whe_[0-9a-f]{32}$/),
      url: 'http://127.0.0.1:9/hook',
      description: 'ci',
      eventTypes: ['key.revoked', 'key.*'],
      status: 'enabled',
      disabledReason: null,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      failingSince: null,
      lastDeliveryAt: null,
      lastDeliveryStatus: null,
    });
    expect(registered.headers['x-request-id']).toBeDefined();
    const path = `${BASE}/${endpoint.id}`;
    // A retry with the same Idempotency-Key registers nothing new and answers the same secret.
    const retried = await call(
      'POST',
      BASE,
      admin,
      { url: 'http://127.0.0.1:9/hook', description: 'ci', eventTypes: ['key.revoked', 'key.*'] },
      { 'idempotency-key': 'register-1' },
    );
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toMatchObject({ id: endpoint.id, secret: endpoint.secret });
    const reused = await call(
      'POST',
      BASE,
      admin,
      { url: 'http://127.0.0.1:9/other' },
      { 'idempotency-key': 'register-1' },
    );
    expect([reused.statusCode, reused.json().code]).toEqual([422, 'IDEMPOTENCY.KEY_REUSED']);

    const changed = await call('PATCH', path, admin, { eventTypes: null, description: 'all' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ id: endpoint.id, eventTypes: null, description: 'all' });
    expect(changed.json().secret).toBeUndefined();

    const disabled = await call('POST', `${path}/disable`, admin);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ status: 'disabled', disabledReason: 'manual' });
    const enabled = await call('POST', `${path}/enable`, admin, {});
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json()).toMatchObject({ status: 'enabled', disabledReason: null });

    const deleted = await call('DELETE', path, admin);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await call('POST', `${path}/disable`, admin)).statusCode).toBe(404);
  });

  it('answers each refusal with its status and the service’s code', async () => {
    const refusal = async (
      response: Promise<{ statusCode: number; json: () => Json }>,
    ): Promise<[number, string]> => {
      const answered = await response;
      return [answered.statusCode, answered.json().code];
    };
    expect(await refusal(call('POST', BASE, admin, { url: 'ftp://example.com/x' }))).toEqual([
      400,
      'WEBHOOK.INVALID_URL',
    ]);
    expect(await refusal(call('POST', BASE, admin, { url: 'https://10.0.0.5/x' }))).toEqual([
      400,
      'WEBHOOK.URL_NOT_ALLOWED',
    ]);
    expect(
      await refusal(
        call('POST', BASE, admin, { url: 'https://example.com/x', eventTypes: ['key.nope'] }),
      ),
    ).toEqual([400, 'WEBHOOK.INVALID_FILTER']);
    expect(await refusal(call('POST', `${BASE}/${MISSING}/enable`, admin))).toEqual([
      404,
      'WEBHOOK.NOT_FOUND',
    ]);
    expect(await refusal(call('DELETE', `${BASE}/${MISSING}`, admin))).toEqual([
      404,
      'WEBHOOK.NOT_FOUND',
    ]);
    // Admin on a resource is not an org admin.
    expect(await refusal(call('POST', BASE, member, { url: 'https://example.com/x' }))).toEqual([
      403,
      'AUTH.FORBIDDEN',
    ]);
    // The path's id may not come in the body too, and the body must be an object.
    expect(
      await refusal(call('PATCH', `${BASE}/${MISSING}`, admin, { endpointId: MISSING })),
    ).toEqual([400, 'VALIDATION.FAILED']);
    expect(await refusal(call('POST', BASE, admin, [1, 2]))).toEqual([
      400,
      'REQUEST.NOT_AN_OBJECT',
    ]);
  });

  it('asks the notifier for lists, one endpoint and its deliveries, with the caller’s credential', async () => {
    const list = await call('GET', `${BASE}?limit=10&cursor=abc&orgId=acme`, admin);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [VIEW], nextCursor: 'next' });

    const one = await call('GET', `${BASE}/${VIEW.id}`, admin);
    expect(one.json()).toEqual(VIEW);
    const missing = await call('GET', `${BASE}/${MISSING}`, admin);
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'WEBHOOK.NOT_FOUND']);

    const log = await call('GET', `${BASE}/${VIEW.id}/delivery?status=failed&limit=5`, admin);
    expect(log.statusCode).toBe(200);
    expect(log.json()).toEqual({ items: [DELIVERY], nextCursor: null });

    expect(asked).toEqual([
      {
        subject: WEBHOOK_QUERY_SUBJECTS.list,
        body: { limit: 10, cursor: 'abc', orgId: 'acme' },
        authorization: `Bearer ${admin}`,
      },
      {
        subject: WEBHOOK_QUERY_SUBJECTS.get,
        body: { endpointId: VIEW.id },
        authorization: `Bearer ${admin}`,
      },
      {
        subject: WEBHOOK_QUERY_SUBJECTS.get,
        body: { endpointId: MISSING },
        authorization: `Bearer ${admin}`,
      },
      {
        subject: WEBHOOK_QUERY_SUBJECTS.deliveries,
        body: { endpointId: VIEW.id, status: 'failed', limit: 5 },
        authorization: `Bearer ${admin}`,
      },
    ]);
  });

  it('documents every route in /api/docs-json, with examples', async () => {
    const document = (
      await gateway.fastify.inject({ method: 'GET', url: '/api/docs-json' })
    ).json();
    const paths = document.paths as Json;
    expect(Object.keys(paths[BASE]).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths[`${BASE}/{id}`]).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(paths[`${BASE}/{id}/disable`])).toEqual(['post']);
    expect(Object.keys(paths[`${BASE}/{id}/enable`])).toEqual(['post']);
    expect(Object.keys(paths[`${BASE}/{id}/delivery`])).toEqual(['get']);

    const register = paths[BASE].post;
    expect(register.tags).toEqual(['webhooks']);
    expect(register.responses['201'].content['application/json'].example.secret).toMatch(/^whsec_/);
    expect(Object.keys(register.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '409', '422', '503']),
    );
    expect(paths[`${BASE}/{id}`].delete.responses['204']).toBeDefined();
    const log = paths[`${BASE}/{id}/delivery`].get;
    expect(log.responses['200'].content['application/json'].example.items[0].attempts).toHaveLength(
      2,
    );
    expect(log.parameters.find((p: Json) => p.name === 'status').schema.enum).toEqual([
      'pending',
      'delivered',
      'failed',
      'abandoned',
    ]);
    expect(log.parameters.find((p: Json) => p.name === 'id').schema.pattern).toBe(
      '^whe_[0-9a-f]{32}$',
    );

    const schemas = document.components.schemas as Json;
    const body = schemas.RegisterWebhookEndpointBody;
    expect(body.required).toEqual(['url']);
    expect(body.properties.url).toMatchObject({ maxLength: 2048, example: expect.any(String) });
    expect(body.properties.description.maxLength).toBe(500);
    expect(body.properties.eventTypes).toMatchObject({ nullable: true, minItems: 1, maxItems: 50 });
    expect(body.properties.eventTypes.items.enum).toEqual(
      expect.arrayContaining([
        'key.revoked',
        'key.expiring_soon',
        'webhook.endpoint_disabled',
        'key.*',
      ]),
    );
    for (const name of [
      'WebhookEndpointSchema',
      'RegisteredWebhookEndpointSchema',
      'WebhookDeliverySchema',
      'WebhookAttemptSchema',
    ]) {
      const properties = Object.entries(schemas[name].properties as Json);
      const withoutExample = properties.filter(
        ([, property]) => !('example' in property) && !('$ref' in property) && !property.items,
      );
      expect([name, withoutExample.map(([field]) => field)]).toEqual([name, []]);
    }
  });
});

describe('webhook routes without KEYWARD_WEBHOOK_SECRET_KEY', () => {
  let system: CommandServiceHarness;
  let gateway: GatewayApp;
  const saved = { ...process.env };

  beforeAll(async () => {
    delete process.env.KEYWARD_WEBHOOK_SECRET_KEY;
    system = await startCommandService();
    gateway = await startGatewayApp(system.nats);
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await system?.stop();
    process.env = saved;
  });

  it('refuses a registration with 503 WEBHOOK.NOT_CONFIGURED', async () => {
    const admin = (await system.bootstrap('acme')).key.secret as string;
    const refused = await gateway.fastify.inject({
      method: 'POST',
      url: BASE,
      headers: { authorization: `Bearer ${admin}` },
      payload: { url: 'https://example.com/hook' },
    });
    expect([refused.statusCode, refused.json().code]).toEqual([503, 'WEBHOOK.NOT_CONFIGURED']);
  });
});
