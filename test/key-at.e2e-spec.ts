import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSystem, type RunningSystem } from '../scripts/lib/system';
import { bootstrapOverHttp } from './support/bootstrap';

/**
 * Rule 12 over REST with real processes: `GET /api/audit/v1/key/{keyId}/at?time=` answers from
 * the store whether a key was valid at an instant, for whom, and which event decided it, over a
 * history of issue, rotation, revocation and account deletion. Times are whole seconds, so the
 * test lets a second pass between the steps it asks about.
 */
const rootDir = resolve(__dirname, '..');
const SA = '/api/service-account/v1/service-account';

interface KeyAtBody {
  valid: boolean;
  reason: string | null;
  revocationReason: string | null;
  principal: { kind: string; id: string; name: string | null; active: boolean };
  role: string | null;
  permissions: string[];
  resources: string[];
  expiresAt: number | null;
  successorKeyId: string | null;
  decidedBy: { eventId: string; eventType: string; position: string; time: number } | null;
  code?: string;
  details?: { field: string }[];
}

describe('point in time: was this key valid at T (rule 12)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-key-at-'));
  let system: RunningSystem;
  let acme: string;
  let globex: string;

  async function http<T>(method: string, path: string, key: string, body?: unknown) {
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const at = (keyId: string, time: number | string, key = acme) =>
    http<KeyAtBody>('GET', `/api/audit/v1/key/${keyId}/at?time=${time}`, key);
  const nowS = () => Math.floor(Date.now() / 1000);
  /** Waits until the clock is in a later whole second than `second`. */
  const after = async (second: number) => {
    while (nowS() <= second) await new Promise((r) => setTimeout(r, 50));
  };
  /** The projector knows the key (it only says which stream to read) a moment after the reply. */
  async function known(keyId: string, time: number) {
    for (let attempt = 0; ; attempt++) {
      const reply = await at(keyId, time);
      if (reply.status !== 404 || attempt === 50) return reply;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir });
    acme = await bootstrapOverHttp(system, 'acme');
    globex = await bootstrapOverHttp(system, 'globex');
  }, 90_000);
  afterAll(async () => {
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers before issue, while valid, during and after a rotation grace, after revocation and after deletion', async () => {
    const account = await http<{ id: string }>('POST', SA, acme, {
      name: 'forensics',
      role: 'writer',
      resources: ['db:analytics'],
    });
    expect(account.status).toBe(201);
    const id = account.body.id;
    const beforeIssue = nowS();
    await after(beforeIssue);
    const a = await http<{ keyId: string; created: number }>('POST', `${SA}/${id}/key`, acme, {
      name: 'a',
    });
    expect(a.status).toBe(201);

    // Before it was issued: not valid, nothing decided it yet.
    expect((await known(a.body.keyId, beforeIssue)).body).toMatchObject({
      valid: false,
      reason: 'not_issued_yet',
      decidedBy: null,
    });
    await after(a.body.created);
    const whileValid = await at(a.body.keyId, a.body.created + 1);
    expect(whileValid.status).toBe(200);
    expect(whileValid.body).toMatchObject({
      valid: true,
      reason: null,
      principal: { kind: 'serviceAccount', id, name: 'forensics', active: true },
      role: 'writer',
      permissions: ['read', 'execute', 'write', 'delete'],
      resources: ['db:analytics'],
      expiresAt: null,
      successorKeyId: null,
      decidedBy: { eventType: 'KeyIssued' },
    });

    // Rotate with a 2 s grace: valid with its successor during it, expired after.
    const rotated = await http<{ keyId: string; created: number }>(
      'POST',
      `${SA}/${id}/key/${a.body.keyId}/rotate`,
      acme,
      { graceSeconds: 2 },
    );
    expect(rotated.status).toBe(201);
    const rotatedAt = rotated.body.created;
    await after(rotatedAt + 3);
    const duringGrace = await at(a.body.keyId, rotatedAt + 1);
    expect(duringGrace.body).toMatchObject({
      valid: true,
      successorKeyId: rotated.body.keyId,
      decidedBy: { eventType: 'KeyRotated' },
    });
    expect(duringGrace.body.expiresAt).toBeGreaterThanOrEqual(rotatedAt + 2);
    expect(duringGrace.body.expiresAt).toBeLessThanOrEqual(rotatedAt + 3);
    expect((await at(a.body.keyId, rotatedAt + 3)).body).toMatchObject({
      valid: false,
      reason: 'expired',
      decidedBy: { eventType: 'KeyRotated' },
    });
    // Before the rotation the key had no successor yet.
    expect((await at(a.body.keyId, a.body.created + 1)).body.successorKeyId).toBeNull();

    // Revoke the successor: revoked from that moment, by hand.
    expect((await http('DELETE', `${SA}/${id}/key/${rotated.body.keyId}`, acme)).status).toBe(204);
    const revokedAt = nowS();
    await after(revokedAt);
    const revoked = await at(rotated.body.keyId, revokedAt + 1);
    expect(revoked.body).toMatchObject({
      valid: false,
      reason: 'revoked',
      revocationReason: 'manual',
      decidedBy: { eventType: 'KeyRevoked' },
    });
    expect((await at(rotated.body.keyId, rotatedAt + 1)).body).toMatchObject({ valid: true });

    // The deciding event is the one the audit log shows for that key, with the same position.
    const audit = await http<{ items: { eventId: string | null; position: string | null }[] }>(
      'GET',
      `/api/audit/v1/entry?target=${rotated.body.keyId}&action=key.revoked`,
      acme,
    );
    const entry = audit.body.items.find((item) => item.eventId === revoked.body.decidedBy!.eventId);
    expect(entry?.position).toBe(revoked.body.decidedBy!.position);

    // Delete the account: its last key is revoked with it, and the account is inactive now.
    const c = await http<{ keyId: string; created: number }>('POST', `${SA}/${id}/key`, acme, {});
    // A whole second of validity before the deletion, to ask about.
    await after(c.body.created + 1);
    expect((await http('DELETE', `${SA}/${id}`, acme)).status).toBe(204);
    const deletedAt = nowS();
    await after(deletedAt);
    const afterDeletion = await known(c.body.keyId, nowS());
    expect(afterDeletion.body).toMatchObject({
      valid: false,
      reason: 'revoked',
      revocationReason: 'account_deleted',
      principal: { id, active: false },
    });
    expect((await at(c.body.keyId, c.body.created + 1)).body).toMatchObject({ valid: true });
  }, 60_000);

  it("is for org admins of the key's org, and refuses bad and future times", async () => {
    const account = await http<{ id: string }>('POST', SA, acme, { name: 'isolated' });
    const key = await http<{ keyId: string; created: number }>(
      'POST',
      `${SA}/${account.body.id}/key`,
      acme,
      {},
    );
    await known(key.body.keyId, key.body.created);
    // Another organization's admin: no such key there.
    const foreign = await at(key.body.keyId, key.body.created, globex);
    expect(foreign).toMatchObject({ status: 404, body: { code: 'KEY.NOT_FOUND' } });
    // A key that is not an org admin's.
    const member = await http<{ secret: string }>('POST', '/api/member/v1/member', acme, {
      userId: 'dana',
      displayName: 'Dana',
      grants: [{ resource: '*', role: 'admin' }],
    });
    expect(member.status).toBe(201);
    const dana = await http<{ secret: string }>('POST', '/api/member/v1/member/dana/key', acme, {});
    const notAdmin = await at(key.body.keyId, key.body.created, dana.body.secret);
    expect(notAdmin).toMatchObject({ status: 403, body: { code: 'AUTH.FORBIDDEN' } });

    for (const time of ['', 'yesterday', '-1', '1.5', String(nowS() + 3600)]) {
      const bad = await at(key.body.keyId, time);
      expect({ time, status: bad.status, code: bad.body.code }).toEqual({
        time,
        status: 400,
        code: 'VALIDATION.FAILED',
      });
      expect(bad.body.details?.map((d) => d.field)).toEqual(['time']);
    }
    const badId = await at('key_nope', key.body.created);
    expect(badId).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
  }, 30_000);

  it('keyward audit key-at shows the same answer, for people and as JSON', async () => {
    const account = await http<{ id: string }>('POST', SA, acme, { name: 'cli-forensics' });
    const key = await http<{ keyId: string; created: number }>(
      'POST',
      `${SA}/${account.body.id}/key`,
      acme,
      {},
    );
    await after(key.body.created);
    const when = key.body.created + 1;
    const rest = (await known(key.body.keyId, when)).body;
    const cli = async (args: string[]) => {
      const child = spawn(process.execPath, [join(rootDir, 'dist/apps/cli/src/main.js'), ...args], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dataDir,
          KEYWARD_CONFIG: join(dataDir, 'none.json'),
          KEYWARD_URL: system.gatewayUrl,
          KEYWARD_KEY: acme,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'close')) as [number | null];
      return { code, stdout, stderr };
    };
    const iso = new Date(when * 1000).toISOString();
    const json = await cli(['audit', 'key-at', key.body.keyId, '--time', iso, '--json']);
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toEqual(rest);
    const table = await cli(['audit', 'key-at', key.body.keyId, '--time', String(when)]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^valid\s+yes$/m);
    expect(table.stdout).toMatch(/^decided by\s+KeyIssued /m);
    const bad = await cli(['audit', 'key-at', key.body.keyId, '--time', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--time must be a time');
  }, 30_000);
});
