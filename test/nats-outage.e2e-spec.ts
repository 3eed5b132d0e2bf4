import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import { bootstrapOverHttp } from './support/bootstrap';

/**
 * A NATS outage longer than nats.js's default reconnect budget (10 tries, 2 s apart): every
 * service says it is not ready while NATS is gone, and answers again a few seconds after it is
 * back (issue 16, item 1).
 */
const rootDir = resolve(__dirname, '..');
/**
 * nats.js's default budget at its longest: 10 attempts, each 2 s apart plus up to 100 ms of
 * jitter (a refused connection on loopback fails at once). The outage outlasts it by a second.
 */
const DEFAULT_RECONNECT_BUDGET_MS = 10 * (2_000 + 100);
const OUTAGE_MS = DEFAULT_RECONNECT_BUDGET_MS + 1_000;

describe('every service comes back after a NATS outage', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-outage-'));
  let system: RunningSystem;
  let admin: string;

  const http = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: admin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text ? JSON.parse(text) : null) as Record<string, unknown>,
    };
  };
  const readiness = async () =>
    Object.fromEntries(
      await Promise.all(
        Object.entries(system.readyUrls).map(async ([name, url]) => {
          const status = await fetch(url)
            .then((r) => r.status)
            .catch(() => 0);
          return [name, status] as const;
        }),
      ),
    );
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir });
    admin = await bootstrapOverHttp(system, 'outage');
  }, 60_000);
  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is not ready during the outage, then serves commands, queries and verify again', async () => {
    const before = await http('POST', '/api/service-account/v1/service-account', {
      name: 'before',
    });
    expect(before.status).toBe(201);
    const names = Object.keys(system.readyUrls);
    expect(names).toEqual(
      expect.arrayContaining(['command', 'verifier-1', 'verifier-2', 'projector', 'gateway']),
    );

    const outage = system.restartNats(OUTAGE_MS);
    await sleep(5_000);
    const during = await readiness();
    expect(during).toEqual(Object.fromEntries(names.map((name) => [name, 503])));
    await outage;

    // Back within a few seconds: every service ready, and the whole path works.
    const backBy = Date.now() + 15_000;
    let after = await readiness();
    while (Object.values(after).some((status) => status !== 200) && Date.now() < backBy) {
      await sleep(250);
      after = await readiness();
    }
    expect(after).toEqual(Object.fromEntries(names.map((name) => [name, 200])));
    const created = await http('POST', '/api/service-account/v1/service-account', {
      name: 'after',
    });
    expect(created.status).toBe(201);
    const key = await http(
      'POST',
      `/api/service-account/v1/service-account/${created.body.id}/key`,
      {},
    );
    expect(key.status).toBe(201);
    const verified = await fetch(`${system.gatewayUrl}/api/auth/v1/verify`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.body.secret}` },
    });
    expect(await verified.json()).toMatchObject({ valid: true });
    let listed: string[] = [];
    for (let i = 0; i < 100 && listed.length < 2; i++) {
      const page = await http('GET', '/api/service-account/v1/service-account');
      listed = ((page.body.items ?? []) as { name: string }[]).map((a) => a.name);
      if (listed.length < 2) await sleep(100);
    }
    expect(listed.sort()).toEqual(['after', 'before']);
    const revoked = await http(
      'DELETE',
      `/api/service-account/v1/service-account/${created.body.id}/key/${key.body.keyId}`,
    );
    expect(revoked.status).toBe(204);
  }, 90_000);
});
