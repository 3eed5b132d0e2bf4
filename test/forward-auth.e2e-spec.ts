import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { load } from 'js-yaml';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import {
  CHECK_HEADERS,
  FORWARD_AUTH_PATH,
  POSITION_HEADER,
  PRINCIPAL_HEADERS,
} from '../apps/gateway/src/auth/forward-auth';
import {
  exampleServerConfig,
  findNginx,
  mainConfig,
  nginxDir,
  startNginx,
  testConfig,
  type RunningNginx,
} from './support/nginx';

/*
 * A real nginx with deploy/nginx/keyward-forward-auth.conf (hosts substituted) in front of an
 * echo server, auth_request to the gateway of the system as `npm run up` starts it. Needs
 * nginx (`npm test` installs Debian's when it runs as root); without it the suite says so and
 * skips.
 */
const rootDir = resolve(__dirname, '..');
const nginx = findNginx();
const describeWithNginx = nginx ? describe : describe.skip;
if (!nginx) console.info('nginx is not installed: skipping the forward-auth tests through nginx');

jest.setTimeout(120_000);

interface Echoed {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The protected API: answers every request with what it received. */
async function startEcho(): Promise<{ server: Server; host: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url ?? '');
    request.resume();
    request.on('end', () => {
      const body: Echoed = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers as Record<string, string>,
      };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { server, host: `127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('deploy/nginx/keyward-forward-auth.conf', () => {
  (nginx ? it : it.skip)('is accepted by nginx -t', () => {
    const dir = nginxDir();
    try {
      const server = join(dir, 'keyward-forward-auth.conf');
      writeFileSync(
        server,
        exampleServerConfig({ listen: 18080, gateway: '127.0.0.1:1', app: '127.0.0.1:2' }),
      );
      writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir, server));
      const result = testConfig(nginx as string, join(dir, 'nginx.conf'));
      expect(result.output).toContain('test is successful');
      expect(result.ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('deploy/traefik and deploy/envoy', () => {
  const principalHeaders = Object.values(PRINCIPAL_HEADERS);

  it('Traefik: every middleware asks the forward route and copies every principal header and the position', () => {
    type Traefik = {
      http: { middlewares: Record<string, { forwardAuth: Record<string, unknown> }> };
    };
    const config = load(
      readFileSync(join(rootDir, 'deploy/traefik/keyward-forward-auth.yaml'), 'utf8'),
    ) as Traefik;
    const middlewares = Object.values(config.http.middlewares);
    expect(middlewares.length).toBeGreaterThan(1);
    for (const { forwardAuth } of middlewares) {
      const address = new URL(forwardAuth.address as string);
      expect(address.pathname).toBe(FORWARD_AUTH_PATH);
      const headers = (forwardAuth.authResponseHeaders as string[]).map((h) => h.toLowerCase());
      expect(headers.sort()).toEqual([...principalHeaders, POSITION_HEADER].sort());
    }
  });

  it('Envoy: ext_authz with the path prefix, the check in headers, fail closed', () => {
    const text = readFileSync(join(rootDir, 'deploy/envoy/envoy.yaml'), 'utf8');
    const filters = findAll(load(text), 'http_service') as {
      path_prefix: string;
      authorization_request: { headers_to_add?: { key: string; value: string }[] };
      authorization_response: { allowed_upstream_headers: { patterns: { prefix?: string }[] } };
    }[];
    expect(filters.length).toBeGreaterThan(1);
    for (const service of filters) {
      expect(service.path_prefix).toBe(FORWARD_AUTH_PATH);
      const upstream = service.authorization_response.allowed_upstream_headers.patterns;
      for (const header of principalHeaders) {
        expect(upstream.some((p) => p.prefix && header.startsWith(p.prefix))).toBe(true);
      }
      for (const added of service.authorization_request.headers_to_add ?? []) {
        expect(Object.values(CHECK_HEADERS)).toContain(added.key);
      }
    }
    const withCheck = filters.filter((f) => f.authorization_request.headers_to_add?.length);
    expect(withCheck.length).toBeGreaterThan(0);
    expect(findAll(load(text), 'failure_mode_allow')).toEqual(filters.map(() => false));
  });
});

/** Every value under `key`, anywhere in a parsed YAML document. */
function findAll(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => findAll(item, key));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([name, value]) =>
    name === key ? [value, ...findAll(value, key)] : findAll(value, key),
  );
}

describeWithNginx('forward-auth through a real nginx (auth_request)', () => {
  let dataDir: string;
  let system: RunningSystem;
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let proxy: RunningNginx;
  let admin: string;
  let proxyUrl: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'keyward-forward-e2e-'));
    system = await startSystem({ dataDir, rootDir });
    echo = await startEcho();
    proxy = await startNginx(nginx as string, {
      gateway: new URL(system.gatewayUrl).host,
      app: echo.host,
    });
    proxyUrl = `http://127.0.0.1:${proxy.port}`;
    const bootstrap = await rest<{ key: { secret: string } }>(
      'POST',
      '/api/operator/v1/organization',
      {
        orgId: 'edge',
        name: 'Edge',
        admin: { userId: 'admin', displayName: 'Admin' },
      },
      { 'keyward-operator-token': system.operatorToken },
    );
    admin = `Bearer ${bootstrap.key.secret}`;
  });
  afterAll(async () => {
    await proxy?.stop();
    await new Promise((done) => (echo ? echo.server.close(done) : done(undefined)));
    await system?.stop();
    if (dataDir && !process.env.KEYWARD_KEEP_LOGS)
      rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`forward-auth e2e data: ${dataDir}, nginx: ${proxy?.dir}`);
  });

  /** The gateway's REST API, as the admin unless headers say otherwise. */
  async function rest<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers: {
        ...(admin ? { authorization: admin } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const through = (path: string, init: RequestInit = {}) => fetch(`${proxyUrl}${path}`, init);
  const withKey = (key: string, headers: Record<string, string> = {}) => ({
    headers: { authorization: `Bearer ${key}`, ...headers },
  });
  const createAccount = (name: string, role: string, resources: string[]) =>
    rest<{ id: string }>('POST', '/api/service-account/v1/service-account', {
      name,
      role,
      resources,
    });
  const issue = (accountId: string) =>
    rest<{ keyId: string; secret: string }>(
      'POST',
      `/api/service-account/v1/service-account/${accountId}/key`,
      {},
    );
  const revoke = (accountId: string, keyId: string) =>
    rest('DELETE', `/api/service-account/v1/service-account/${accountId}/key/${keyId}`);

  it('no key: 401 with the gateway’s challenge, and the API never sees the request', async () => {
    const response = await through('/never-seen');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keyward"');
    const wrong = await through('/never-seen', withKey('kw_live_nope'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe(
      'Bearer realm="keyward", error="invalid_token"',
    );
    expect(echo.seen).not.toContain('/never-seen');
  });

  it('a valid key: 200, and the API sees the principal (not what the client claimed)', async () => {
    const account = await createAccount('edge-reader', 'reader', ['db:reports']);
    const key = await issue(account.id);
    const response = await through(
      '/orders?page=2',
      withKey(key.secret, { 'x-keyward-principal': 'forged', 'x-keyward-role': 'admin' }),
    );
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as Echoed;
    expect(echoed.url).toBe('/orders?page=2');
    expect(echoed.headers).toMatchObject({
      'x-keyward-principal': account.id,
      'x-keyward-principal-kind': 'serviceAccount',
      'x-keyward-org': 'edge',
      'x-keyward-key-id': key.keyId,
      'x-keyward-role': 'reader',
      'x-keyward-permissions': 'read',
    });
    // The store position the gateway decided at (rule 13), passed on by the proxy.
    expect(echoed.headers['x-keyward-position']).toMatch(/^\d+$/);
    // A form POST: nginx passes its Content-Type (not its body) to the gateway.
    const post = await through('/orders', {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key.secret}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'a=1&b=2',
    });
    expect(post.status).toBe(200);
    expect(((await post.json()) as Echoed).method).toBe('POST');
  });

  it('a member key: no role header reaches the API, even one the client sent', async () => {
    await rest('POST', '/api/member/v1/member', {
      userId: 'mia',
      displayName: 'Mia',
      grants: [{ resource: 'db:reports', role: 'writer' }],
    });
    const key = await rest<{ secret: string }>('POST', '/api/member/v1/member/mia/key', {});
    const response = await through(
      '/reports/q1',
      withKey(key.secret, { 'x-keyward-role': 'admin' }),
    );
    expect(response.status).toBe(200);
    const echoed = (await response.json()) as Echoed;
    expect(echoed.headers['x-keyward-principal']).toBe('mia');
    expect(echoed.headers['x-keyward-principal-kind']).toBe('member');
    expect(echoed.headers['x-keyward-role']).toBeUndefined();
  });

  it('permission denied: 403 where the location needs write on db:reports', async () => {
    const account = await createAccount('edge-reports-reader', 'reader', ['db:reports']);
    const key = await issue(account.id);
    expect((await through('/reports/q1', withKey(key.secret))).status).toBe(403);
    const writer = await createAccount('edge-reports-writer', 'writer', ['db:reports']);
    const writerKey = await issue(writer.id);
    const allowed = await through('/reports/q1', withKey(writerKey.secret));
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as Echoed).headers['x-keyward-permissions']).toBe(
      'read,execute,write,delete',
    );
  });

  it('G1 through the proxy: under concurrent traffic, the very next request after the revoke replied is refused', async () => {
    const account = await createAccount('edge-g1', 'reader', ['db:reports']);
    const keys = await Promise.all(Array.from({ length: 5 }, () => issue(account.id)));
    const revokedAt = new Map<string, number>();
    const violations: string[] = [];
    const statuses = new Map<number, number>();
    let running = true;
    const worker = async (n: number) => {
      for (let i = n; running; i++) {
        const key = keys[i % keys.length];
        const sentAt = performance.now();
        const response = await through('/g1', withKey(key.secret));
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const revoked = revokedAt.get(key.keyId);
        if (response.status === 200 && revoked !== undefined && sentAt > revoked) {
          violations.push(`${key.keyId}: 200 ${Math.round(sentAt - revoked)} ms after its revoke`);
        }
      }
    };
    const workers = Array.from({ length: 16 }, (_, n) => worker(n));
    for (const key of keys) {
      await sleep(100);
      await revoke(account.id, key.keyId);
      revokedAt.set(key.keyId, performance.now());
      const next = await through('/g1', withKey(key.secret));
      expect([key.keyId, next.status]).toEqual([key.keyId, 401]);
    }
    await sleep(100);
    running = false;
    await Promise.all(workers);
    expect(violations).toEqual([]);
    // The load was real: accepted before each revoke, refused after.
    expect(statuses.get(200)).toBeGreaterThan(keys.length);
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect([...statuses.keys()].sort()).toEqual([200, 401]);
  });

  it('the gateway was never refused anything by NATS as its own verifier node', () => {
    const log = readFileSync(join(dataDir, 'logs', 'nats-server.log'), 'utf8');
    expect(log).not.toContain('User "gateway"');
  });

  it('fails closed: with the gateway gone, nginx answers 503 with Retry-After, never the API', async () => {
    const account = await createAccount('edge-last', 'reader', ['db:reports']);
    const key = await issue(account.id);
    expect((await through('/x', withKey(key.secret))).status).toBe(200);
    const gateway = system.services.find((service) => service.name === 'gateway');
    await gateway?.stop();
    const response = await through('/x', withKey(key.secret));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ code: 'SERVICE.UNAVAILABLE' });
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
