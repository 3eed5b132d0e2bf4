import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import {
  startCommandService,
  startGatewayApp,
  type CommandServiceHarness,
  type GatewayApp,
} from './gateway-app.harness';

const ACCOUNT = `/api/service-account/v1/service-account`;
const ONE_ACCOUNT = `${ACCOUNT}/sa_${'0'.repeat(32)}`;

/** A well-formed key nobody issued: the command service answers 401. */
function unknownKey(): string {
  return `Bearer kw_live_${randomBytes(30).toString('base64url').replace(/[-_]/g, 'a').slice(0, 46)}`;
}

function expectRateLimited(response: LightMyRequestResponse, maxSeconds: number): void {
  expect(response.statusCode).toBe(429);
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(response.headers['x-request-id']).toEqual(expect.any(String));
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json();
  expect(body).toEqual({ code: 'RATE_LIMITED', message: expect.any(String) });
}

describe('rate limits (per replica)', () => {
  let system: CommandServiceHarness;
  let adminKey: string;

  beforeAll(async () => {
    system = await startCommandService();
    const bootstrap = await system.bootstrap('acme');
    adminKey = bootstrap.key.secret as string;
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
  });

  describe('per principal', () => {
    let gateway: GatewayApp;

    beforeAll(async () => {
      gateway = await startGatewayApp(system.nats, {
        KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE: '3',
        KEYWARD_GATEWAY_AUTH_FAILURES_PER_MINUTE: '0',
      });
    }, 30_000);

    afterAll(() => gateway?.close());

    const get = (authorization: string | undefined, url = ONE_ACCOUNT, remoteAddress?: string) =>
      gateway.fastify.inject({
        method: 'GET',
        url,
        headers: authorization ? { authorization } : {},
        ...(remoteAddress ? { remoteAddress } : {}),
      });

    it('refuses a credential over its limit with 429, Retry-After and the error body', async () => {
      const authorization = `Bearer ${adminKey}`;
      for (let i = 0; i < 3; i++) {
        expect((await get(authorization)).statusCode).not.toBe(429);
      }
      expectRateLimited(await get(authorization), 60);
      // Another credential from the same IP has its own budget.
      expect((await get(unknownKey())).statusCode).not.toBe(429);
      // The same key in another form of the header shares its budget.
      expectRateLimited(await get(adminKey), 60);
    });

    it('counts requests without a credential per client IP', async () => {
      for (let i = 0; i < 3; i++) {
        expect((await get(undefined, ONE_ACCOUNT, '10.1.0.1')).statusCode).not.toBe(429);
      }
      expectRateLimited(await get(undefined, ONE_ACCOUNT, '10.1.0.1'), 60);
      expect((await get(undefined, ONE_ACCOUNT, '10.1.0.2')).statusCode).not.toBe(429);
    });

    it('never limits probes, metrics, the docs or forward-auth', async () => {
      const authorization = `Bearer ${adminKey}`; // over its limit since the first test
      expectRateLimited(await get(authorization), 60);
      for (const url of [
        '/healthz',
        '/readyz',
        '/metrics',
        '/api/docs-json',
        '/api/docs',
        '/api/auth/v1/forward',
        '/api/auth/v1/forward/some/path',
      ]) {
        for (let i = 0; i < 5; i++) {
          const response = await get(authorization, url);
          expect([url, response.statusCode]).not.toEqual([url, 429]);
        }
      }
    });
  });

  describe('failed authentication per IP', () => {
    let gateway: GatewayApp;

    beforeAll(async () => {
      gateway = await startGatewayApp(
        system.nats,
        {
          KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE: '0',
          KEYWARD_GATEWAY_AUTH_FAILURES_PER_MINUTE: '3',
        },
        { rateLimitWindowMs: 2_000 },
      );
    }, 30_000);

    afterAll(() => gateway?.close());

    const create = (authorization: string, remoteAddress: string) =>
      gateway.fastify.inject({
        method: 'POST',
        url: ACCOUNT,
        headers: { authorization, 'content-type': 'application/json' },
        payload: { name: `ci-${randomBytes(4).toString('hex')}` },
        remoteAddress,
      });

    it('refuses an IP after N failed authentications; another IP is unaffected', async () => {
      for (let i = 0; i < 3; i++) {
        expect((await create(unknownKey(), '10.2.0.1')).statusCode).toBe(401);
      }
      // Over the limit: refused before anything is asked, even with a valid key.
      expectRateLimited(await create(unknownKey(), '10.2.0.1'), 2);
      expectRateLimited(await create(`Bearer ${adminKey}`, '10.2.0.1'), 2);
      expect((await create(unknownKey(), '10.2.0.2')).statusCode).toBe(401);
      expect((await create(`Bearer ${adminKey}`, '10.2.0.2')).statusCode).toBe(201);
      // The window ends: the IP may try again.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect((await create(`Bearer ${adminKey}`, '10.2.0.1')).statusCode).toBe(201);
    });

    it('does not count forward-auth refusals (the client IP there is the proxy)', async () => {
      for (let i = 0; i < 6; i++) {
        const response = await gateway.fastify.inject({
          method: 'GET',
          url: '/api/auth/v1/forward',
          remoteAddress: '10.2.0.3',
        });
        expect(response.statusCode).toBe(401);
      }
      expect((await create(`Bearer ${adminKey}`, '10.2.0.3')).statusCode).toBe(201);
    });

    it('with the per-principal limit off (0), one principal is never limited', async () => {
      for (let i = 0; i < 10; i++) {
        const response = await gateway.fastify.inject({
          method: 'GET',
          url: ONE_ACCOUNT,
          headers: { authorization: `Bearer ${adminKey}` },
          remoteAddress: '10.2.0.4',
        });
        expect(response.statusCode).not.toBe(429);
      }
    });
  });
});
