import { randomBytes } from 'node:crypto';
import { recordVerifyOutcome } from '../src/metrics/metrics';
import {
  startCommandService,
  startGatewayApp,
  type CommandServiceHarness,
  type GatewayApp,
} from './gateway-app.harness';

const ACCOUNT = '/api/service-account/v1/service-account';

describe('request log and /metrics', () => {
  let system: CommandServiceHarness;
  let gateway: GatewayApp;
  let adminKey: string;
  let accountId: string;
  const bodySecret = `body-secret-${randomBytes(12).toString('hex')}`;
  const basicSecret = `kw_live_${'B'.repeat(46)}`;

  beforeAll(async () => {
    system = await startCommandService();
    gateway = await startGatewayApp(system.nats, { LOG_LEVEL: 'info' });
    // Bootstrap over HTTP: the operator token goes through the gateway too.
    const bootstrap = await gateway.fastify.inject({
      method: 'POST',
      url: '/api/operator/v1/organization',
      headers: { 'keyward-operator-token': system.operatorToken, 'x-request-id': 'req-boot' },
      payload: { orgId: 'acme', name: 'Acme', admin: { userId: 'admin', displayName: 'Admin' } },
    });
    expect(bootstrap.statusCode).toBe(201);
    adminKey = bootstrap.json().key.secret;
    const created = await gateway.fastify.inject({
      method: 'POST',
      url: ACCOUNT,
      headers: { authorization: `Bearer ${adminKey}`, 'x-request-id': 'req-create' },
      payload: { name: 'ci-bot', description: bodySecret },
    });
    expect(created.statusCode).toBe(201);
    accountId = created.json().id;
    const issued = await gateway.fastify.inject({
      method: 'POST',
      url: `${ACCOUNT}/${accountId}/key`,
      headers: { authorization: adminKey, 'x-request-id': 'req-issue' },
      payload: { name: bodySecret },
    });
    expect(issued.statusCode).toBe(201);
    // A key in a body (revoke-by-value), and Basic credentials that fail.
    await gateway.fastify.inject({
      method: 'POST',
      url: '/api/key/v1/revoke-by-value',
      headers: { authorization: `Bearer ${adminKey}`, 'x-request-id': 'req-by-value' },
      payload: { key: issued.json().secret },
    });
    const basic = Buffer.from(`${accountId}:${basicSecret}`).toString('base64');
    const refused = await gateway.fastify.inject({
      method: 'DELETE',
      url: `${ACCOUNT}/${accountId}`,
      headers: { authorization: `Basic ${basic}`, 'x-request-id': 'req-basic' },
    });
    expect(refused.statusCode).toBe(401);
    await gateway.fastify.inject({ method: 'GET', url: `/api/nope/${bodySecret}` });
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    await system?.stop();
  });

  it('never writes a credential, an operator token, a body or a query string', () => {
    const output = gateway.logs.join('');
    expect(output.length).toBeGreaterThan(0);
    for (const secret of [
      adminKey,
      system.operatorToken,
      bodySecret,
      basicSecret,
      Buffer.from(`${accountId}:${basicSecret}`).toString('base64'),
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/kw_live_/);
  });

  it('writes one JSON line per request: method, route pattern, status, duration, request id', () => {
    const lines = gateway.logs
      .flatMap((chunk) => chunk.split('\n'))
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requests = lines.filter((line) => line.msg === 'request');
    const byId = (id: string) => requests.filter((line) => line.requestId === id);
    expect(byId('req-boot')).toEqual([
      expect.objectContaining({
        level: 'info',
        method: 'POST',
        route: '/api/operator/v1/organization',
        status: 201,
        durationMs: expect.any(Number),
      }),
    ]);
    expect(byId('req-issue')).toEqual([
      expect.objectContaining({ route: `${ACCOUNT}/:id/key`, status: 201 }),
    ]);
    expect(byId('req-basic')).toEqual([
      expect.objectContaining({ method: 'DELETE', route: `${ACCOUNT}/:id`, status: 401 }),
    ]);
    expect(requests).toContainEqual(
      expect.objectContaining({ route: '(unmatched)', status: 404, requestId: expect.any(String) }),
    );
  });

  it('serves Prometheus metrics: durations by route pattern and status, verify outcomes', async () => {
    recordVerifyOutcome('revoked');
    const response = await gateway.fastify.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toContain('# TYPE keyward_gateway_http_request_duration_seconds histogram');
    expect(text).toMatch(
      new RegExp(
        `keyward_gateway_http_request_duration_seconds_count\\{method="POST",route="${ACCOUNT}/:id/key",status="201"\\} 1`,
      ),
    );
    expect(text).toMatch(
      /keyward_gateway_http_request_duration_seconds_bucket\{le="\+Inf",method="DELETE",route="\/api\/service-account\/v1\/service-account\/:id",status="401"\} 1/,
    );
    expect(text).toContain('route="(unmatched)"');
    expect(text).not.toContain(accountId);
    expect(text).not.toContain(bodySecret);
    expect(text).toMatch(/keyward_gateway_verify_outcomes_total\{reason="revoked"\} [1-9]/);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
