import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  NatsJsonClient,
  VERIFY_SUBJECTS as V,
  type ServiceAccountUsageView,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';

/**
 * Key usage per day over REST, as the console's chart reads it: `npm run up`'s processes (NATS
 * with authorization, command, two verifiers, projector, gateway), keys verified over HTTP (the
 * gateway's own verifier node) and over NATS (the verifier processes), the rollups published
 * every 100 ms (KEYWARD_USAGE_FLUSH_MS) into KEYWARD_USAGE, projected into key_usage_daily,
 * read back with GET …/service-account/{id}/usage.
 */
const rootDir = resolve(__dirname, '..');
const DAY_S = 86_400;
const SA = '/api/service-account/v1/service-account';

interface Response<T = Record<string, unknown>> {
  status: number;
  body: T;
}

describe('GET /api/service-account/v1/service-account/{id}/usage under npm run up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-key-usage-'));
  let system: RunningSystem;
  let internal: NatsConnection;
  let acme: string;
  let globex: string;
  let accountId: string;
  let oldKey: { keyId: string; secret: string; hint: string };
  let newKey: { keyId: string; secret: string; hint: string };

  async function http<T = Record<string, unknown>>(
    method: string,
    path: string,
    authorization?: string,
    body?: unknown,
  ): Promise<Response<T>> {
    const headers: Record<string, string> = {};
    if (authorization) headers.authorization = authorization;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? null : JSON.parse(text)) as T };
  }

  async function bootstrap(orgId: string): Promise<string> {
    const response = await fetch(`${system.gatewayUrl}/api/operator/v1/organization`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'keyward-operator-token': system.operatorToken,
      },
      body: JSON.stringify({ orgId, name: orgId, admin: { userId: 'root', displayName: 'Root' } }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { key: { secret: string } }).key.secret;
  }

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir, env: { KEYWARD_USAGE_FLUSH_MS: '100' } });
    internal = await connect(system.natsSettings('internal-client'));
    acme = await bootstrap('acme');
    globex = await bootstrap('globex');
    const account = await http<{ id: string }>('POST', SA, acme, { name: 'ci-bot' });
    expect(account.status).toBe(201);
    accountId = account.body.id;
    const issue = async (name: string) => {
      const issued = await http<{ keyId: string; secret: string; hint: string }>(
        'POST',
        `${SA}/${accountId}/key`,
        acme,
        { name },
      );
      expect(issued.status).toBe(201);
      return issued.body;
    };
    oldKey = await issue('old');
    newKey = await issue('new');
  }, 90_000);
  afterAll(async () => {
    await internal?.drain();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows uses per key per day, and a refused attempt on the revoked key', async () => {
    const verifyHttp = (secret: string) =>
      http<{ valid: boolean; reason?: string }>('POST', '/api/auth/v1/verify', `Bearer ${secret}`);
    const verifyNats = (secret: string) =>
      new NatsJsonClient(internal).request<VerifyReply>(V.verify, { key: secret });
    // The old key three times (two on the gateway's node, one on a verifier process), the new twice.
    expect((await verifyHttp(oldKey.secret)).body.valid).toBe(true);
    expect((await verifyHttp(oldKey.secret)).body.valid).toBe(true);
    expect(await verifyNats(oldKey.secret)).toMatchObject({ valid: true });
    expect((await verifyHttp(newKey.secret)).body.valid).toBe(true);
    expect(await verifyNats(newKey.secret)).toMatchObject({ valid: true });
    // Rotated away: the old key is revoked, and a caller that still uses it is refused.
    expect((await http('DELETE', `${SA}/${accountId}/key/${oldKey.keyId}`, acme)).status).toBe(204);
    expect((await verifyHttp(oldKey.secret)).body).toMatchObject({
      valid: false,
      reason: 'revoked',
    });

    const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
    const path = `${SA}/${accountId}/usage?days=3`;
    const expected: ServiceAccountUsageView = {
      days: [today - 2 * DAY_S, today - DAY_S, today],
      keys: [
        {
          keyId: oldKey.keyId,
          name: 'old',
          hint: oldKey.hint,
          status: 'revoked',
          uses: [0, 0, 3],
          refused: [0, 0, 1],
        },
        {
          keyId: newKey.keyId,
          name: 'new',
          hint: newKey.hint,
          status: 'active',
          uses: [0, 0, 2],
          refused: [0, 0, 0],
        },
      ],
    };
    let answer = await http<ServiceAccountUsageView>('GET', path, acme);
    for (let i = 0; i < 100 && JSON.stringify(answer.body) !== JSON.stringify(expected); i++) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await http<ServiceAccountUsageView>('GET', path, acme);
    }
    expect(answer).toEqual({ status: 200, body: expected });
    expect(JSON.stringify(answer.body)).not.toContain(oldKey.secret.slice(8));

    // The totals on the account agree with the days.
    const account = await http<{
      lastUsed: number | null;
      keys: { keyId: string; uses: number; refused: number; lastUsed: number | null }[];
    }>('GET', `${SA}/${accountId}`, acme);
    expect(account.body.keys.map((k) => [k.keyId, k.uses, k.refused])).toEqual([
      [oldKey.keyId, 3, 1],
      [newKey.keyId, 2, 0],
    ]);
    // The account's last use is its keys' latest, in the list as in the account.
    const latest = Math.max(...account.body.keys.map((k) => k.lastUsed ?? 0));
    expect(account.body.lastUsed).toBe(latest);
    const listed = await http<{ items: { id: string; lastUsed: number | null }[] }>(
      'GET',
      `${SA}?status=all`,
      acme,
    );
    expect(listed.body.items.find((item) => item.id === accountId)?.lastUsed).toBe(latest);

    // Without days: the last 14, ending today.
    const fortnight = await http<ServiceAccountUsageView>('GET', `${SA}/${accountId}/usage`, acme);
    expect(fortnight.status).toBe(200);
    expect(fortnight.body.days).toHaveLength(14);
    expect(fortnight.body.days[13]).toBe(today);
    expect(fortnight.body.keys[0].uses).toEqual([...Array(13).fill(0), 3]);
  });

  it("refuses another organization's account with 404, as getting the account does", async () => {
    const foreign = await http('GET', `${SA}/${accountId}/usage`, globex);
    expect(foreign).toMatchObject({ status: 404, body: { code: 'SERVICE_ACCOUNT.NOT_FOUND' } });
    const get = await http('GET', `${SA}/${accountId}`, globex);
    expect(get).toMatchObject({ status: 404, body: { code: 'SERVICE_ACCOUNT.NOT_FOUND' } });
    const otherOrg = await http('GET', `${SA}/${accountId}/usage?orgId=globex`, acme);
    expect(otherOrg).toMatchObject({ status: 404, body: { code: 'AUTH.ORG_MISMATCH' } });
    const none = await http('GET', `${SA}/${accountId}/usage`);
    expect(none).toMatchObject({ status: 401, body: { code: 'AUTH.MISSING_CREDENTIAL' } });
  });

  it('refuses a service account without admin with 403', async () => {
    const reader = await http('GET', `${SA}/${accountId}/usage`, `Bearer ${newKey.secret}`);
    expect(reader).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });
  });

  it.each(['0', '91', '-1', '1.5', '1e3', 'abc', ''])(
    'refuses days=%p with 400 VALIDATION.FAILED naming days',
    async (days) => {
      const bad = await http('GET', `${SA}/${accountId}/usage?days=${days}`, acme);
      expect(bad).toMatchObject({
        status: 400,
        body: {
          code: 'VALIDATION.FAILED',
          details: [{ field: 'days', problem: expect.any(String) }],
        },
      });
      expect(Object.keys(bad.body).sort()).toEqual(['code', 'details', 'message']);
    },
  );

  it('refuses unknown query fields and a bad account id with 400', async () => {
    const unknown = await http('GET', `${SA}/${accountId}/usage?days=3&from=0`, acme);
    expect(unknown).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    expect(JSON.stringify(unknown.body)).toContain('from');
    const badId = await http('GET', `${SA}/not-an-id/usage`, acme);
    expect(badId).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
    const missing = await http('GET', `${SA}/sa_${'0'.repeat(32)}/usage`, acme);
    expect(missing).toMatchObject({ status: 404, body: { code: 'SERVICE_ACCOUNT.NOT_FOUND' } });
  });
});
