import { performance } from 'node:perf_hooks';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { ErrorCode, type NatsError } from 'nats';
import {
  COMMAND_SUBJECTS as S,
  USAGE_STREAM,
  USAGE_SUBJECT_PREFIX,
  VERIFIER_SUBJECTS,
  VERIFY_SUBJECTS as V,
  type AwaitPositionReply,
  type IssuedKeyReply,
  type KeyUsageRollup,
  type RevocationReply,
  type ServiceAccountReply,
  type VerifierHeartbeat,
} from '@keyward/messaging';
import {
  startCommandService,
  withEnv,
  type CommandServiceHarness,
} from '../../command/test/command-service.harness';
import { bearer } from '../../command/test/expect-reply-error';
import { type IndexFollower, VerifierNode } from '@keyward/verifier';
import { startVerifier, type InProcessVerifier } from '../../auth-verifier/test/verifier.harness';
import { loadConfig } from '../src/config';
import { createGateway } from '../src/create-gateway';
import { socketRequest } from './socket-request';

const STALENESS_MS = 1000;
const decoder = new TextDecoder();

jest.setTimeout(60_000);

/**
 * The gateway in this process as the `gateway` NATS user, its verifier node following the
 * harness's store, listening on a free port: forward-auth requests go over the socket (the fast
 * path in the node's HTTP server answers them), the rest through Fastify's inject. NATS runs with the
 * generated authorization, and the harness fails the suite if it refused the gateway anything.
 */
async function startGateway(h: CommandServiceHarness): Promise<NestFastifyApplication> {
  return withEnv(
    {
      ...h.nats.env('gateway'),
      VERIFIER_MAX_STALENESS_MS: String(STALENESS_MS),
      KEYWARD_USAGE_FLUSH_MS: '200',
      // These tests count refusals, not a rate limiter's.
      KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE: '0',
      KEYWARD_GATEWAY_AUTH_FAILURES_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
    },
    async () => {
      const app = await createGateway(loadConfig());
      app.useLogger(['error']);
      await app.listen(0, '127.0.0.1');
      return app;
    },
  );
}

/**
 * The answer without its `position`, after checking it is a decimal string: two nodes decide
 * alike, but each at the position it has applied (SPEC rule 13).
 */
function withoutPosition(answer: unknown): unknown {
  const { position, ...rest } = answer as { position: unknown };
  expect(position).toMatch(/^\d+$/);
  return rest;
}

describe('forward-auth, verify and authorize over HTTP, answered by the gateway’s own node', () => {
  let h: CommandServiceHarness;
  let app: NestFastifyApplication;
  let node: VerifierNode;
  let verifier: InProcessVerifier | undefined;
  let admin: string;
  let reader: ServiceAccountReply;
  let basic: ServiceAccountReply;
  const heartbeats = new Map<string, VerifierHeartbeat>();

  beforeAll(async () => {
    h = await startCommandService();
    const beats = h.operator.subscribe(VERIFIER_SUBJECTS.heartbeat, {
      callback: (error, msg) => {
        if (error) return;
        const beat = JSON.parse(decoder.decode(msg.data)) as VerifierHeartbeat;
        heartbeats.set(beat.verifierId, beat);
      },
    });
    void beats;
    admin = bearer((await h.bootstrap('fwd-org')).key.secret as string);
    app = await startGateway(h);
    node = app.get(VerifierNode);
    reader = await h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name: 'reader', role: 'reader', resources: ['db:a', 'db:b'] },
      { authorization: admin },
    );
    basic = await h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name: 'basic', role: 'writer', resources: ['db:a'], enableBasicAuth: true },
      { authorization: admin },
    );
  });
  afterAll(async () => {
    await verifier?.stop();
    await app?.close();
    await h?.stop();
  });

  const inject = (options: InjectOptions): Promise<LightMyRequestResponse> =>
    app.getHttpAdapter().getInstance().inject(options);
  /** Over TCP: what a proxy sees. Forward-auth is answered before Fastify (the fast path). */
  const send = async (options: InjectOptions) => socketRequest(await app.getUrl(), options);
  const issue = (accountId: string) =>
    h.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id: accountId },
      { authorization: admin },
    );
  const revoke = (accountId: string, keyId: string) =>
    h.client.request<RevocationReply>(
      S.revokeServiceAccountKey,
      { id: accountId, keyId },
      { authorization: admin },
    );
  const forward = (authorization?: string, url = '/api/auth/v1/forward', method = 'GET') =>
    send({ method: method as 'GET', url, headers: authorization ? { authorization } : {} });

  it('does not answer kw.verify: the gateway’s node is not in the verifier queue group', async () => {
    const error = await h.client
      .request(V.verify, { key: 'kw_live_x' }, { timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect((error as NatsError).code).toBe(ErrorCode.NoResponders);
  });

  it('is on the roster with its own id, serving', async () => {
    await eventually(async () =>
      [...heartbeats.values()].some((b) => b.verifierId === node.verifierId && b.serving),
    );
    expect(node.verifierId).toMatch(/^gateway-.+-\d+-[0-9a-f]{6}$/);
    expect((await inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('401 without a credential: the challenge, and the error body', async () => {
    const response = await forward();
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="keyward"');
    expect(response.json()).toEqual({
      code: 'AUTH.MISSING_CREDENTIAL',
      message: 'an Authorization header is required',
    });
  });

  it.each([
    ['not a key', 'Bearer nope'],
    ['an unknown key', `Bearer kw_live_${'a'.repeat(40)}000000`],
  ])('401 with error="invalid_token" for %s', async (_name, authorization) => {
    const response = await forward(authorization);
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      'Bearer realm="keyward", error="invalid_token"',
    );
    expect(response.json()).toMatchObject({ code: 'AUTH.INVALID_CREDENTIAL' });
  });

  it('200 with the principal headers for a key issued a moment ago, on every method', async () => {
    const key = await issue(reader.id);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']) {
      const response = await forward(bearer(key.secret as string), undefined, method);
      expect([method, response.statusCode]).toEqual([method, 200]);
      expect(response.headers).toMatchObject({
        'x-keyward-principal': reader.id,
        'x-keyward-principal-kind': 'serviceAccount',
        'x-keyward-org': 'fwd-org',
        'x-keyward-key-id': key.keyId,
        'x-keyward-role': 'reader',
        'x-keyward-permissions': 'read',
      });
      expect(response.body).toBe('');
    }
  });

  it('ignores the body of the request it answers for, whatever its type', async () => {
    const key = await issue(reader.id);
    for (const [type, payload] of [
      ['application/x-www-form-urlencoded', 'a=1&b=2'],
      ['text/plain', 'hello'],
      ['application/json', '{not json'],
      ['application/x-www-form-urlencoded', ''],
    ]) {
      const response = await send({
        method: 'POST',
        url: '/api/auth/v1/forward',
        headers: { authorization: bearer(key.secret as string), 'content-type': type },
        payload,
      });
      expect([type, response.statusCode]).toEqual([type, 200]);
    }
  });

  it('accepts a bare key and Basic credentials where the account allows them', async () => {
    const key = await issue(basic.id);
    const secret = key.secret as string;
    expect((await forward(secret)).statusCode).toBe(200);
    const basicHeader = `Basic ${Buffer.from(`${basic.id}:${secret}`).toString('base64')}`;
    const response = await forward(basicHeader);
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-keyward-principal']).toBe(basic.id);
    const readerKey = await issue(reader.id);
    const notAllowed = `Basic ${Buffer.from(`${reader.id}:${readerKey.secret}`).toString('base64')}`;
    expect((await forward(notAllowed)).statusCode).toBe(401);
  });

  it('names a member as a member, without a role (it differs per resource)', async () => {
    await h.client.request(
      S.addMember,
      { userId: 'dana', displayName: 'Dana', grants: [{ resource: 'db:a', role: 'writer' }] },
      { authorization: admin },
    );
    const key = await h.client.request<IssuedKeyReply>(
      S.issuePersonalKey,
      { userId: 'dana' },
      { authorization: admin },
    );
    const response = await forward(
      bearer(key.secret as string),
      '/api/auth/v1/forward?permission=write&resource=db:a',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-keyward-principal']).toBe('dana');
    expect(response.headers['x-keyward-principal-kind']).toBe('member');
    expect(response.headers['x-keyward-role']).toBeUndefined();
    expect(response.headers['x-keyward-permissions']).toBe('read,execute,write,delete');
  });

  describe('?permission&resource', () => {
    let key: string;
    beforeAll(async () => {
      key = bearer((await issue(reader.id)).secret as string);
    });

    it('200 when the key may do it, with its permissions on that resource', async () => {
      const response = await forward(key, '/api/auth/v1/forward?permission=read&resource=db:b');
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-keyward-permissions']).toBe('read');
    });

    it('403 when it may not (another permission, or a resource it does not hold)', async () => {
      for (const query of ['permission=write&resource=db:a', 'permission=read&resource=db:c']) {
        const response = await forward(key, `/api/auth/v1/forward?${query}`);
        expect([query, response.statusCode]).toEqual([query, 403]);
        expect(response.json()).toMatchObject({ code: 'AUTH.FORBIDDEN' });
        expect(response.headers['x-keyward-principal']).toBeUndefined();
      }
    });

    it('400 VALIDATION.FAILED for a check that is not one (the proxy’s configuration)', async () => {
      for (const query of [
        'permission=read',
        'resource=db:a',
        'permission=fly&resource=db:a',
        'permission=read&resource=%20x',
        'permission=read&permission=write&resource=db:a',
      ]) {
        const response = await forward(key, `/api/auth/v1/forward?${query}`);
        expect([query, response.statusCode]).toEqual([query, 400]);
        expect(response.json()).toMatchObject({ code: 'VALIDATION.FAILED' });
      }
    });

    it('an invalid key is 401 before any permission is considered', async () => {
      const response = await forward(undefined, '/api/auth/v1/forward?permission=read&resource=x');
      expect(response.statusCode).toBe(401);
    });
  });

  describe('proxy contracts', () => {
    let key: string;
    beforeAll(async () => {
      key = bearer((await issue(reader.id)).secret as string);
    });

    it('Traefik ForwardAuth: a GET with X-Forwarded-Method/-Uri/-Host, the check in the address', async () => {
      const response = await send({
        method: 'GET',
        url: '/api/auth/v1/forward?permission=read&resource=db:a',
        headers: {
          authorization: key,
          'x-forwarded-method': 'DELETE',
          'x-forwarded-proto': 'https',
          'x-forwarded-host': 'api.example.com',
          'x-forwarded-uri': '/orders/42?permission=admin',
          'x-forwarded-for': '203.0.113.9',
        },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-keyward-principal']).toBe(reader.id);
    });

    it('nginx auth_request: X-Original-URI decides nothing; 401 keeps its challenge', async () => {
      const ok = await send({
        method: 'POST',
        url: '/api/auth/v1/forward',
        headers: { authorization: key, 'x-original-uri': '/admin?x=1', 'content-length': '0' },
      });
      expect(ok.statusCode).toBe(200);
      const refused = await send({
        method: 'GET',
        url: '/api/auth/v1/forward',
        headers: { 'x-original-uri': '/admin' },
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer realm="keyward"');
    });

    it('Envoy ext_authz: the original path after the prefix; the check in headers, the client’s query ignored', async () => {
      const envoy = (url: string, headers: Record<string, string>) =>
        send({ method: 'POST', url, headers: { authorization: key, ...headers } });
      const allowed = await envoy('/api/auth/v1/forward/orders/42?permission=admin&resource=*', {
        'x-keyward-permission': 'read',
        'x-keyward-resource': 'db:a',
        'content-length': '0',
      });
      expect(allowed.statusCode).toBe(200);
      expect(allowed.headers['x-keyward-key-id']).toMatch(/^key_/);
      const denied = await envoy('/api/auth/v1/forward/orders/42?permission=read&resource=db:a', {
        'x-keyward-permission': 'write',
        'x-keyward-resource': 'db:a',
      });
      expect(denied.statusCode).toBe(403);
      // Authentication only: no check headers, whatever the client's query says.
      const plain = await envoy('/api/auth/v1/forward/?permission=admin&resource=db:zzz', {});
      expect(plain.statusCode).toBe(200);
      expect((await envoy('/api/auth/v1/forward/a/b/c', {})).statusCode).toBe(200);
      const bad = await envoy('/api/auth/v1/forward/x', { 'x-keyward-permission': 'read' });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('the fast path and the Nest route', () => {
    let key: string;
    beforeAll(async () => {
      key = bearer((await issue(reader.id)).secret as string);
    });
    const compared = [
      'x-keyward-principal',
      'x-keyward-principal-kind',
      'x-keyward-org',
      'x-keyward-key-id',
      'x-keyward-role',
      'x-keyward-permissions',
      'www-authenticate',
      'retry-after',
      'content-type',
      'x-request-id',
      'x-keyward-position',
    ];
    const view = (response: {
      statusCode: number;
      headers: Record<string, unknown>;
      body: string;
    }) => ({
      status: response.statusCode,
      body: response.body === '' ? '' : (JSON.parse(response.body) as unknown),
      headers: Object.fromEntries(compared.map((name) => [name, response.headers[name]])),
    });

    it('answer every form alike: status, body and headers (inject reaches the Nest route)', async () => {
      const withKey = (method: 'GET' | 'POST', query: string): InjectOptions => ({
        method,
        url: `/api/auth/v1/forward?${query}`,
        headers: { authorization: key },
      });
      const cases: InjectOptions[] = [
        { method: 'GET', url: '/api/auth/v1/forward' },
        { method: 'GET', url: '/api/auth/v1/forward', headers: { authorization: 'Bearer nope' } },
        { method: 'GET', url: '/api/auth/v1/forward', headers: { authorization: key } },
        { method: 'HEAD', url: '/api/auth/v1/forward', headers: { authorization: key } },
        withKey('POST', 'permission=read&resource=db:a'),
        withKey('GET', 'permission=write&resource=db:a'),
        withKey('GET', 'permission=fly&resource=db:a'),
        withKey('GET', 'permission=read&permission=write&resource=db:a'),
        withKey('GET', 'resource=db%3Ab&permission=read'),
        {
          method: 'POST',
          url: '/api/auth/v1/forward/orders/42?permission=admin&resource=*',
          headers: {
            authorization: key,
            'x-keyward-permission': 'write',
            'x-keyward-resource': 'db:a',
          },
        },
        { method: 'PUT', url: '/api/auth/v1/forward/', headers: { authorization: key } },
      ];
      for (const options of cases) {
        const headers = { 'x-request-id': 'parity-1', ...options.headers };
        const fast = view(await send({ ...options, headers }));
        const nest = view(await inject({ ...options, headers }));
        expect([options.method, options.url, fast]).toEqual([options.method, options.url, nest]);
        expect(fast.headers['x-request-id']).toBe('parity-1');
      }
    });

    it('the fast path makes a request id when none usable was sent, and counts every answer', async () => {
      const made = await send({ method: 'GET', url: '/api/auth/v1/forward' });
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const unusable = await send({
        method: 'GET',
        url: '/api/auth/v1/forward',
        headers: { 'x-request-id': 'a b' },
      });
      expect(unusable.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const metrics = (await inject({ method: 'GET', url: '/metrics' })).body;
      const count = (route: string, status: number) =>
        Number(
          new RegExp(
            `keyward_gateway_http_request_duration_seconds_count\\{method="GET",route="${route.replace(/[/*]/g, '\\$&')}",status="${status}"\\} (\\d+)`,
          ).exec(metrics)?.[1] ?? 0,
        );
      expect(count('/api/auth/v1/forward', 401)).toBeGreaterThanOrEqual(2);
      expect(count('/api/auth/v1/forward', 200)).toBeGreaterThanOrEqual(1);
    });
  });

  describe('POST /api/auth/v1/verify and /authorize', () => {
    let secret: string;
    let keyId: string;
    beforeAll(async () => {
      const key = await issue(reader.id);
      secret = key.secret as string;
      keyId = key.keyId;
      verifier = await startVerifier(h.nats, { KEYWARD_VERIFIER_ID: 'compare' });
    });
    const post = (path: string, authorization: string | undefined, payload?: unknown) =>
      inject({
        method: 'POST',
        url: `/api/auth/v1/${path}`,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
      });

    it('answers with the same JSON as kw.verify and kw.authorize', async () => {
      for (const authorization of [bearer(secret), secret, 'Bearer nope']) {
        const http = await post('verify', authorization);
        expect(http.statusCode).toBe(200);
        expect(withoutPosition(http.json())).toEqual(
          withoutPosition(await h.client.request(V.verify, { authorization })),
        );
        for (const check of [
          { resource: 'db:a', permission: 'read' },
          { resource: 'db:a', permission: 'write' },
        ]) {
          const answer = await post('authorize', authorization, check);
          expect(answer.statusCode).toBe(200);
          expect(withoutPosition(answer.json())).toEqual(
            withoutPosition(await h.client.request(V.authorize, { authorization, ...check })),
          );
        }
      }
      expect((await post('verify', bearer(secret), {})).json()).toMatchObject({
        valid: true,
        keyId,
        role: 'reader',
      });
    });

    it('401 without a credential; VALIDATION.FAILED for a bad body', async () => {
      expect((await post('verify', undefined)).statusCode).toBe(401);
      const extra = await post('verify', bearer(secret), { key: secret });
      expect(extra.statusCode).toBe(400);
      expect(extra.json()).toMatchObject({
        code: 'VALIDATION.FAILED',
        details: [{ field: 'key', problem: 'property key should not exist' }],
      });
      const bad = await post('authorize', bearer(secret), { resource: ' ', permission: 'fly' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details.map((d: { field: string }) => d.field)).toEqual([
        'resource',
        'permission',
      ]);
      expect((await post('authorize', bearer(secret), [])).statusCode).toBe(400);
    });
  });

  it('records usage: a rollup from the gateway’s node in the usage stream', async () => {
    const key = await issue(reader.id);
    for (let i = 0; i < 3; i++) await forward(bearer(key.secret as string));
    const js = h.operator.jetstream();
    const subject = `${USAGE_SUBJECT_PREFIX}.fwd-org.${key.keyId}`;
    await eventually(async () => {
      const message = await js
        .jetstreamManager()
        .then((jsm) => jsm.streams.getMessage(USAGE_STREAM, { last_by_subj: subject }))
        .catch(() => undefined);
      if (!message) return false;
      const rollup = message.json<KeyUsageRollup>();
      return rollup.verifierId === node.verifierId && rollup.uses >= 1;
    });
  });

  it('G1: a revocation over NATS waits for the gateway’s node; the next forward is refused', async () => {
    const key = await issue(reader.id);
    const authorization = bearer(key.secret as string);
    expect((await forward(authorization)).statusCode).toBe(200);
    // What the command service hears back on its inbox while the revoke is in flight.
    const answers: AwaitPositionReply[] = [];
    const sniff = h.operator.subscribe('_INBOX_command.>', {
      callback: (error, msg) => {
        if (error) return;
        try {
          const reply = JSON.parse(decoder.decode(msg.data)) as AwaitPositionReply;
          if (reply.verifierId) answers.push(reply);
        } catch {
          // another reply
        }
      },
    });
    await h.operator.flush();
    const reply = await revoke(reader.id, key.keyId);
    sniff.unsubscribe();
    const position = BigInt(reply.position as string);
    expect(answers).toContainEqual(
      expect.objectContaining({ verifierId: node.verifierId, state: 'applied' }),
    );
    expect(node.freshness.hasApplied(position)).toBe(true);
    const after = await forward(authorization);
    expect(after.statusCode).toBe(401);
    expect(after.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('G1 under concurrent forward-auth: nothing is accepted after the revoke replied', async () => {
    const keys = await Promise.all([issue(reader.id), issue(reader.id), issue(reader.id)]);
    const revokedAt = new Map<string, number>();
    const violations: string[] = [];
    let running = true;
    let requests = 0;
    const worker = async (n: number) => {
      for (let i = n; running; i++) {
        const key = keys[i % keys.length];
        const sentAt = performance.now();
        const response = await forward(bearer(key.secret as string));
        requests++;
        const revoked = revokedAt.get(key.keyId);
        if (response.statusCode === 200 && revoked !== undefined && sentAt > revoked) {
          violations.push(`${key.keyId} accepted ${Math.round(sentAt - revoked)} ms after revoke`);
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, n) => worker(n));
    for (const key of keys) {
      await sleep(30);
      await revoke(reader.id, key.keyId);
      revokedAt.set(key.keyId, performance.now());
      expect((await forward(bearer(key.secret as string))).statusCode).toBe(401);
    }
    await sleep(50);
    running = false;
    await Promise.all(workers);
    expect(violations).toEqual([]);
    expect(requests).toBeGreaterThan(keys.length * 2);
  });

  it('G2: a node that cannot prove it is caught up is not ready and answers 503; a revocation meanwhile still holds', async () => {
    const key = await issue(reader.id);
    const authorization = bearer(key.secret as string);
    expect((await forward(authorization)).statusCode).toBe(200);
    // Cut the node off from the store: no events, no proof of being caught up.
    await (node as unknown as { follower: IndexFollower }).follower.stop();
    await eventually(
      async () => (await inject({ method: 'GET', url: '/readyz' })).statusCode === 503,
    );
    const stale = await forward(authorization);
    expect(stale.statusCode).toBe(503);
    expect(stale.headers['retry-after']).toBe('1');
    expect(stale.json()).toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
    expect(
      (await inject({ method: 'POST', url: '/api/auth/v1/verify', headers: { authorization } }))
        .statusCode,
    ).toBe(503);
    // The revoke does not wait for a node that is not serving: it has fenced itself instead.
    await revoke(reader.id, key.keyId);
    expect((await forward(authorization)).statusCode).toBe(503);
  });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
