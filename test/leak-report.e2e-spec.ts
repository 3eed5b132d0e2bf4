import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateApiKey } from '@keyward/keys';
import type { AuditEntryView } from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';

/**
 * docs/product-rules.md rule 11 with real processes (`npm run up`'s: NATS with authorization,
 * command, two verifiers, projector, gateway): `POST /api/key/v1/leaked` as a secret scanner
 * calls it. The gateway trusts one proxy hop, so each test speaks from its own client IP
 * (`X-Forwarded-For`) and the small leak-report limit below only meets the test about it.
 */
const rootDir = resolve(__dirname, '..');
const LEAK_LIMIT = 12;
/**
 * The reply floor the command service runs with. Deployed it is 500 ms (README: Reporting leaked
 * keys); here 250 ms, which still holds back every report of these tests that the timing test
 * compares (100 keys take about 30 ms of work, p90 under 70 ms), halves the time the 55 or so
 * floored replies wait, and makes the timing claim's 10 % bound a tighter one in milliseconds.
 * `KEYWARD_LEAK_REPORT_MIN_REPLY_MS=500` measures the deployed floor, `=0` measures without one.
 */
const MIN_REPLY_MS = Number(process.env.KEYWARD_LEAK_REPORT_MIN_REPLY_MS ?? 250);

interface Response<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

describe('leak reports (rule 11) under npm run up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-leak-'));
  let system: RunningSystem;
  let ipCounter = 0;
  const freshIp = () => `198.51.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

  async function http<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let payload = options.raw;
    if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${system.gatewayUrl}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: response.status, headers: response.headers, body: body as T };
  }
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const report = (values: unknown, ip: string, headers: Record<string, string> = {}) =>
    http<{ received: number; malformed: number }>('POST', '/api/key/v1/leaked', {
      body: values,
      headers: { 'x-forwarded-for': ip, ...headers },
    });

  async function bootstrap(orgId: string): Promise<string> {
    const boot = await http<{ key: { secret: string } }>('POST', '/api/operator/v1/organization', {
      body: { orgId, name: orgId, admin: { userId: 'root', displayName: 'Root' } },
      headers: { 'keyward-operator-token': system.operatorToken },
    });
    expect(boot.status).toBe(201);
    return boot.body.key.secret;
  }

  async function account(admin: string, name: string): Promise<string> {
    const created = await http<{ id: string }>('POST', '/api/service-account/v1/service-account', {
      body: { name, role: 'reader', resources: ['db:a'] },
      headers: as(admin),
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  interface Issued {
    keyId: string;
    secret: string;
  }
  async function issue(admin: string, accountId: string, n: number): Promise<Issued[]> {
    return Promise.all(
      Array.from({ length: n }, async () => {
        const issued = await http<Issued>(
          'POST',
          `/api/service-account/v1/service-account/${accountId}/key`,
          { body: {}, headers: as(admin) },
        );
        expect(issued.status).toBe(201);
        return issued.body;
      }),
    );
  }

  async function verify(secret: string): Promise<{ valid: boolean; reason?: string }> {
    const answer = await http<{ valid: boolean; reason?: string }>('POST', '/api/auth/v1/verify', {
      headers: as(secret),
    });
    return answer.body;
  }

  async function leakEntries(admin: string): Promise<AuditEntryView[]> {
    const page = await http<{ items: AuditEntryView[] }>(
      'GET',
      '/api/audit/v1/entry?action=key.revoked&limit=1000',
      { headers: as(admin) },
    );
    expect(page.status).toBe(200);
    return page.body.items;
  }

  beforeAll(async () => {
    system = await startSystem({
      dataDir,
      rootDir,
      env: {
        KEYWARD_GATEWAY_TRUST_PROXY: '1',
        KEYWARD_GATEWAY_LEAK_REPORTS_PER_MINUTE: String(LEAK_LIMIT),
        KEYWARD_LEAK_REPORT_MIN_REPLY_MS: String(MIN_REPLY_MS),
      },
    });
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('revokes exactly the active keys of a 10,000-value burst, the same answer for every batch', async () => {
    const adminA = await bootstrap('leak-a');
    const adminB = await bootstrap('leak-b');
    const a1 = await account(adminA, 'a-one');
    const a2 = await account(adminA, 'a-two');
    const b1 = await account(adminB, 'b-one');
    const bGone = await account(adminB, 'b-gone');
    const activeA = [...(await issue(adminA, a1, 40)), ...(await issue(adminA, a2, 30))];
    const personal = await http<Issued>('POST', '/api/me/v1/key', {
      body: { name: 'laptop' },
      headers: as(adminA),
    });
    expect(personal.status).toBe(201);
    activeA.push(personal.body);
    const activeB = await issue(adminB, b1, 50);
    const survivorsA = await issue(adminA, a1, 5);
    const survivorsB = await issue(adminB, b1, 5);
    const revokedA = await issue(adminA, a2, 10);
    for (const key of revokedA) {
      const revoked = await http(
        'DELETE',
        `/api/service-account/v1/service-account/${a2}/key/${key.keyId}`,
        {
          headers: as(adminA),
        },
      );
      expect(revoked.status).toBe(204);
    }
    const goneB = await issue(adminB, bGone, 10);
    expect(
      (
        await http('DELETE', `/api/service-account/v1/service-account/${bGone}`, {
          headers: as(adminB),
        })
      ).status,
    ).toBe(204);
    const entriesBefore = {
      a: (await leakEntries(adminA)).length,
      b: (await leakEntries(adminB)).length,
    };

    // 10 batches of 1,000: every active key twice over, revoked and deleted keys, unknown
    // well-formed keys and malformed strings, shuffled.
    const active = [...activeA, ...activeB].map((k) => k.secret);
    const known = [
      ...active,
      ...active,
      ...revokedA.map((k) => k.secret),
      ...goneB.map((k) => k.secret),
    ];
    const malformedValues = (n: number) =>
      Array.from({ length: n }, (_, i) => {
        const key = generateApiKey().secret;
        return i % 3 === 0
          ? key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a')
          : i % 3 === 1
            ? `ghp_${i}`
            : key.slice(1);
      });
    const batches: string[][] = [];
    let malformedSent = 0;
    for (let b = 0; b < 10; b++) {
      const mine = known.filter((_, i) => i % 10 === b);
      const bad = malformedValues(150 + b * 10);
      malformedSent += bad.length;
      const unknown = Array.from(
        { length: 1000 - mine.length - bad.length },
        () => generateApiKey().secret,
      );
      const batch = [...mine, ...bad, ...unknown].sort(() => Math.random() - 0.5);
      expect(batch).toHaveLength(1000);
      batches.push(batch);
    }
    const ip = freshIp();
    const started = performance.now();
    const replies = await Promise.all(batches.map((batch) => report(batch, ip)));
    const burstMs = performance.now() - started;
    console.log(
      `leak report burst: 10,000 values (${new Set(active).size} active keys) in ${burstMs.toFixed(0)} ms`,
    );

    replies.forEach((reply, b) => {
      expect(reply.status).toBe(202);
      expect(Object.keys(reply.body).sort()).toEqual(['malformed', 'received']);
      expect(reply.body.received).toBe(1000);
      expect(reply.body.malformed).toBe(150 + b * 10);
    });
    expect(replies.reduce((n, r) => n + r.body.malformed, 0)).toBe(malformedSent);
    const headerNames = (r: Response) => [...r.headers.keys()].sort().join(',');
    expect(new Set(replies.map(headerNames)).size).toBe(1);

    for (const key of [...activeA, ...activeB]) {
      expect(await verify(key.secret)).toMatchObject({ valid: false, reason: 'revoked' });
    }
    for (const key of [...survivorsA, ...survivorsB]) {
      expect(await verify(key.secret)).toMatchObject({ valid: true });
    }
    for (const key of revokedA)
      expect(await verify(key.secret)).toMatchObject({ reason: 'revoked' });
    for (const key of goneB) expect(await verify(key.secret)).toMatchObject({ valid: false });
    expect((await verify(adminA)).valid).toBe(true);

    // Each org's audit log: one key.revoked by the leak report per active key of its own, with
    // reason leaked and the reporter's IP; nothing for the revoked or deleted keys.
    for (const [admin, keys, before] of [
      [adminA, activeA, entriesBefore.a],
      [adminB, activeB, entriesBefore.b],
    ] as const) {
      const entries = await leakEntries(admin);
      const leaked = entries.filter((e) => e.actor.kind === 'leakReport');
      expect(entries.length - before).toBe(keys.length);
      expect(leaked.map((e) => e.target.id).sort()).toEqual(keys.map((k) => k.keyId).sort());
      for (const entry of leaked) {
        expect(entry.actor).toEqual({
          kind: 'leakReport',
          id: null,
          name: 'leak report',
          active: null,
        });
        expect(entry.details).toMatchObject({ reason: 'leaked' });
        expect(entry.source).toMatchObject({ ip, channel: 'http' });
      }
    }

    // A second report of the same keys records nothing more.
    const again = await report(active.slice(0, 20), freshIp());
    expect(again.status).toBe(202);
    expect((await leakEntries(adminA)).length - entriesBefore.a).toBe(activeA.length);
  }, 300_000);

  it('refuses bad bodies with 400, 413 and 415, revoking nothing, and ignores Authorization', async () => {
    const admin = await bootstrap('leak-c');
    const sa = await account(admin, 'c-one');
    const [key] = await issue(admin, sa, 1);
    const ip = freshIp();
    const tooMany = [key.secret, ...Array(1000).fill('x')];
    for (const body of [
      { keys: 'x' },
      'kw',
      42,
      { token: key.secret },
      tooMany,
      { keys: tooMany },
    ]) {
      const refused = await report(body, ip);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        code: 'VALIDATION.FAILED',
        details: [{ field: 'keys' }],
      });
      expect(JSON.stringify(refused.body)).not.toContain(key.secret);
    }
    const notJson = await http('POST', '/api/key/v1/leaked', {
      raw: key.secret,
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': ip },
    });
    expect(notJson.status).toBe(415);
    const huge = await report([key.secret, 'y'.repeat(140 * 1024)], ip);
    expect(huge.status).toBe(413);
    expect((await verify(key.secret)).valid).toBe(true);

    // 1,000 pretty-printed values of the longest form fit the route's own 128 KiB bound.
    const longest = Array.from({ length: 999 }, () => generateApiKey('abcdefgh').secret);
    const pretty = await http('POST', '/api/key/v1/leaked', {
      raw: JSON.stringify([...longest, key.secret], null, 4).replace(/\n/g, '\r\n'),
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': ip,
        authorization: 'Bearer nonsense',
      },
    });
    expect(pretty.status).toBe(202);
    expect(pretty.body).toEqual({ received: 1000, malformed: 0 });
    expect(await verify(key.secret)).toMatchObject({ valid: false, reason: 'revoked' });
  }, 120_000);

  it('limits each client IP to its own leak-report budget: 429 with Retry-After past it', async () => {
    const ip = freshIp();
    // The whole budget at once (each reply waits out the floor, so one by one it would take
    // LEAK_LIMIT floors); a random Authorization on each buys no fresh budget.
    const budget = await Promise.all(
      Array.from({ length: LEAK_LIMIT }, () =>
        report([], ip, { authorization: `Bearer ${generateApiKey().secret}` }),
      ),
    );
    expect(budget.map((ok) => ok.status)).toEqual(Array(LEAK_LIMIT).fill(202));
    const refused = await report([], ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect((await report([], freshIp())).status).toBe(202);
  }, 60_000);

  it('takes as long for 100 existing keys as for 100 unknown ones (timing)', async () => {
    const rounds = 15;
    const existing: string[][] = [];
    for (let r = 0; r < rounds; r++) {
      const admin = await bootstrap(`leak-t${r}`);
      const [s1, s2] = [await account(admin, 't-one'), await account(admin, 't-two')];
      const keys = [...(await issue(admin, s1, 50)), ...(await issue(admin, s2, 50))];
      existing.push(keys.map((k) => k.secret));
    }
    const timed = async (values: string[]) => {
      const started = performance.now();
      const reply = await report(values, freshIp());
      expect(reply.status).toBe(202);
      expect(reply.body).toEqual({ received: 100, malformed: 0 });
      return performance.now() - started;
    };
    const unknownMs: number[] = [];
    const existingMs: number[] = [];
    // Warm-up, then alternate.
    await timed(Array.from({ length: 100 }, () => generateApiKey().secret));
    for (let r = 0; r < rounds; r++) {
      unknownMs.push(await timed(Array.from({ length: 100 }, () => generateApiKey().secret)));
      existingMs.push(await timed(existing[r]));
    }
    const quantile = (values: number[], q: number) => {
      const sorted = [...values].sort((x, y) => x - y);
      return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    };
    const stats = (values: number[]) => ({
      median: quantile(values, 0.5),
      p90: quantile(values, 0.9),
    });
    const u = stats(unknownMs);
    const e = stats(existingMs);
    console.log(
      `leak report timing (min reply ${MIN_REPLY_MS} ms), ${rounds} rounds of 100 keys: ` +
        `unknown median ${u.median.toFixed(1)} ms p90 ${u.p90.toFixed(1)} ms; ` +
        `existing median ${e.median.toFixed(1)} ms p90 ${e.p90.toFixed(1)} ms; ` +
        `ratio median ${(e.median / u.median).toFixed(3)} p90 ${(e.p90 / u.p90).toFixed(3)}`,
    );
    if (MIN_REPLY_MS > 0) {
      // With a floor, the two are the same within noise, and both wait it out.
      expect(e.median / u.median).toBeLessThan(1.1);
      expect(e.median / u.median).toBeGreaterThan(0.9);
      expect(Math.min(...unknownMs, ...existingMs)).toBeGreaterThanOrEqual(MIN_REPLY_MS);
    }
    for (const keys of existing) expect(await verify(keys[0])).toMatchObject({ reason: 'revoked' });

    // Throughput: one report of 1,000 active keys over 10 accounts.
    const admin = await bootstrap('leak-big');
    const many: string[] = [];
    for (let s = 0; s < 10; s++) {
      const sa = await account(admin, `big-${s}`);
      many.push(...(await issue(admin, sa, 100)).map((k) => k.secret));
    }
    const started = performance.now();
    const big = await report(many, freshIp());
    const bigMs = performance.now() - started;
    expect(big.status).toBe(202);
    console.log(
      `leak report of 1,000 active keys (10 accounts): ${bigMs.toFixed(0)} ms, ` +
        `${Math.round(1000 / (bigMs / 1000))} keys/s`,
    );
    expect(await verify(many[999])).toMatchObject({ reason: 'revoked' });
  }, 300_000);
});
