import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  NatsJsonClient,
  VERIFY_SUBJECTS as V,
  type KeyView,
  type RevocationReply,
  type RotatedKeyReply,
  type ServiceAccountWithKeysView,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';

/**
 * Rotation (docs/product-rules.md rule 10) as a user reaches it: `npm run up`'s processes (NATS,
 * command, two verifiers, projector, gateway) and plain HTTP.
 */
const rootDir = resolve(__dirname, '..');
const SA = '/api/service-account/v1/service-account';
const MEMBERS = '/api/member/v1/member';

interface Response<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

describe('key rotation through the gateway (rule 10)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-rotation-'));
  let system: RunningSystem;
  let operator: NatsConnection;
  let client: NatsJsonClient;
  let clientConnection: NatsConnection;
  let admin: string;

  async function http<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; authorization?: string } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { authorization: options.authorization ?? admin };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? null : JSON.parse(text)) as T,
      headers: response.headers,
    };
  }
  const verify = async (secret: string) =>
    (await http<VerifyReply>('POST', '/api/auth/v1/verify', { authorization: `Bearer ${secret}` }))
      .body;
  const verifyOverNats = (secret: string) =>
    client.request<VerifyReply>(V.verify, { authorization: `Bearer ${secret}` });
  const storedEvents = async () =>
    (await (await operator.jetstreamManager()).streams.info('KEYWARD_EVENTS')).state.messages;
  const newAccount = async (name: string) => {
    const created = await http<{ id: string }>('POST', SA, { body: { name } });
    expect(created.status).toBe(201);
    return created.body.id;
  };
  const issue = async (id: string) => {
    const issued = await http<{ keyId: string; secret: string }>('POST', `${SA}/${id}/key`, {
      body: {},
    });
    expect(issued.status).toBe(201);
    return issued.body;
  };
  const rotate = (id: string, keyId: string, body: object = {}) =>
    http<RotatedKeyReply>('POST', `${SA}/${id}/key/${keyId}/rotate`, { body });

  /** The projector follows the store: poll a read until it shows what was just written. */
  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const value = await read();
      if (ok(value) || attempt === 200) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir, env: { KEYWARD_USAGE_FLUSH_MS: '100' } });
    operator = await connect(system.natsSettings('operator'));
    clientConnection = await connect(system.natsSettings('internal-client'));
    client = new NatsJsonClient(clientConnection);
    const boot = await fetch(`${system.gatewayUrl}/api/operator/v1/organization`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'keyward-operator-token': system.operatorToken,
      },
      body: JSON.stringify({
        orgId: 'acme',
        name: 'Acme',
        admin: { userId: 'root', displayName: 'Root' },
      }),
    });
    expect(boot.status).toBe(201);
    admin = `Bearer ${((await boot.json()) as { key: { secret: string } }).key.secret}`;
  }, 90_000);
  afterAll(async () => {
    await clientConnection?.drain();
    await operator?.drain();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues the successor, both keys verify during the grace, and the account shows the link and each key last use', async () => {
    const id = await newAccount('rotating');
    const old = await issue(id);
    expect(await verify(old.secret)).toMatchObject({ valid: true, keyId: old.keyId });

    const before = await storedEvents();
    const started = Math.floor(Date.now() / 1000);
    const rotated = await rotate(id, old.keyId, { graceSeconds: 3600, name: 'v2' });
    expect(rotated.status).toBe(201);
    expect(Object.keys(rotated.body).sort()).toEqual(
      ['created', 'expiresAt', 'hint', 'keyId', 'previous', 'secret'].sort(),
    );
    const next = rotated.body;
    expect(next.secret).toMatch(/^kw_live_/);
    expect(next.previous.keyId).toBe(old.keyId);
    expect(next.previous.expiresAt).toBeGreaterThanOrEqual(started + 3600);
    expect(next.previous.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    expect(await storedEvents()).toBe(before + 1); // one append

    // At once, on the gateway's node and on the verifier processes: no waiting.
    const successor = next.secret as string;
    expect(await verify(successor)).toMatchObject({ valid: true, keyId: next.keyId });
    expect(await verifyOverNats(successor)).toMatchObject({ valid: true, keyId: next.keyId });
    expect(await verify(old.secret)).toMatchObject({
      valid: true,
      keyId: old.keyId,
      expiresAt: next.previous.expiresAt,
    });
    expect(await verifyOverNats(old.secret)).toMatchObject({
      valid: true,
      expiresAt: next.previous.expiresAt,
    });

    const account = await eventually(
      async () => (await http<ServiceAccountWithKeysView>('GET', `${SA}/${id}`)).body,
      (a) => a.keys.length === 2 && a.keys.every((k) => k.lastUsed !== null),
    );
    const byId = new Map<string, KeyView>(account.keys.map((k) => [k.keyId, k]));
    expect(byId.get(old.keyId)).toMatchObject({
      status: 'active',
      expiresAt: next.previous.expiresAt,
      succeeds: null,
      succeededBy: next.keyId,
      lastUsed: expect.any(Number),
    });
    expect(byId.get(next.keyId)).toMatchObject({
      status: 'active',
      name: 'v2',
      succeeds: old.keyId,
      succeededBy: null,
      lastUsed: expect.any(Number),
    });
    const audit = await eventually(
      async () =>
        (
          await http<{ items: { action: string; target: { id: string } }[] }>(
            'GET',
            `/api/audit/v1/entry?action=key.rotated`,
          )
        ).body.items,
      (items) => items.some((e) => e.target.id === old.keyId),
    );
    expect(audit.find((e) => e.target.id === old.keyId)).toMatchObject({
      action: 'key.rotated',
      actor: { kind: 'member', id: 'root' },
    });
  });

  it('refuses the old key as expired from the end of a short grace on, and not before', async () => {
    const id = await newAccount('short-grace');
    const old = await issue(id);
    const rotated = await rotate(id, old.keyId, { graceSeconds: 2 });
    expect(rotated.status).toBe(201);
    // The end is in [E, E + 1) seconds (the API speaks whole seconds).
    const endMs = rotated.body.previous.expiresAt * 1000;
    const answers: { sent: number; received: number; reply: VerifyReply }[] = [];
    for (;;) {
      const sent = Date.now();
      const reply = await verify(old.secret);
      answers.push({ sent, received: Date.now(), reply });
      if (!reply.valid) break;
      if (sent > endMs + 3000) break;
      // Poll densely only near the end.
      await new Promise((r) => setTimeout(r, sent < endMs - 300 ? 100 : 10));
    }
    const last = answers[answers.length - 1];
    expect(last.reply).toMatchObject({ valid: false, reason: 'expired' });
    // Refused right after the end: the first refusal was asked for within 100 ms of the latest
    // the end can be.
    expect(last.sent).toBeLessThan(endMs + 1000 + 100);
    // Never refused before the end, never accepted after it.
    expect(last.received).toBeGreaterThanOrEqual(endMs);
    const accepted = answers.filter((a) => a.reply.valid);
    expect(accepted.length).toBeGreaterThan(5);
    for (const a of accepted) expect(a.sent).toBeLessThan(endMs + 1000);
    expect(await verifyOverNats(old.secret)).toMatchObject({ valid: false, reason: 'expired' });
    expect(await verify(rotated.body.secret as string)).toMatchObject({ valid: true });
  });

  it('refuses a revoked key, another account key, a key already rotated; caps a grace beyond the policy', async () => {
    const id = await newAccount('refusals');
    const other = await newAccount('refusals-other');
    const revoked = await issue(id);
    expect((await http('DELETE', `${SA}/${id}/key/${revoked.keyId}`)).status).toBe(204);
    expect(await rotate(id, revoked.keyId)).toMatchObject({
      status: 409,
      body: { code: 'KEY.REVOKED' },
    });
    const theirs = await issue(other);
    expect(await rotate(id, theirs.keyId)).toMatchObject({
      status: 404,
      body: { code: 'KEY.NOT_FOUND' },
    });
    const live = await issue(id);
    expect((await rotate(id, live.keyId)).status).toBe(201);
    expect(await rotate(id, live.keyId)).toMatchObject({
      status: 409,
      body: { code: 'KEY.ALREADY_ROTATED' },
    });

    const policy = await http('PUT', '/api/organization/v1/policy', {
      body: { maxKeyLifetimeSeconds: 600 },
    });
    expect(policy.status).toBe(200);
    try {
      const capped = await issue(id);
      const reply = await rotate(id, capped.keyId, { graceSeconds: 7 * 86_400 });
      expect(reply.status).toBe(201);
      expect(reply.body.previous.expiresAt).toBeLessThanOrEqual(
        Math.floor(Date.now() / 1000) + 600,
      );
    } finally {
      await http('PUT', '/api/organization/v1/policy', { body: { maxKeyLifetimeSeconds: null } });
    }
  });

  it.each([
    [{ graceSeconds: -5 }, 'graceSeconds'],
    [{ graceSeconds: 'a day' }, 'graceSeconds'],
    [{ graceSeconds: 3_153_600_001 }, 'graceSeconds'],
    [{ expiresAt: 1.5 }, 'expiresAt'],
  ])(
    'answers %j with 400 VALIDATION.FAILED naming the field, appending nothing',
    async (body, field) => {
      const id = await newAccount(`bad-${field}-${JSON.stringify(body).length}`);
      const key = await issue(id);
      const before = await storedEvents();
      const reply = await rotate(id, key.keyId, body);
      expect(reply).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
      expect((reply.body as unknown as { details: { field: string }[] }).details).toEqual([
        expect.objectContaining({ field }),
      ]);
      expect(await storedEvents()).toBe(before);
    },
  );

  it('rotates a personal key at /api/me, and an org admin revokes that member’s keys over REST', async () => {
    const added = await http('POST', MEMBERS, {
      body: { userId: 'dana', displayName: 'Dana', grants: [{ resource: 'db:x', role: 'reader' }] },
    });
    expect(added.status).toBe(201);
    const first = await http<{ keyId: string; secret: string }>('POST', `${MEMBERS}/dana/key`, {
      body: {},
    });
    expect(first.status).toBe(201);
    const dana = first.body;

    // Dana rotates her own key with her own key: both work during the grace, everywhere at once.
    const rotated = await http<RotatedKeyReply>('POST', `/api/me/v1/key/${dana.keyId}/rotate`, {
      body: { graceSeconds: 3600 },
      authorization: `Bearer ${dana.secret}`,
    });
    expect(rotated.status).toBe(201);
    const successor = rotated.body.secret as string;
    expect(rotated.body.previous).toMatchObject({ keyId: dana.keyId });
    for (const check of [verify, verifyOverNats]) {
      expect(await check(successor)).toMatchObject({ valid: true, keyId: rotated.body.keyId });
      expect(await check(dana.secret)).toMatchObject({
        valid: true,
        principal: { kind: 'member', id: 'dana' },
        expiresAt: rotated.body.previous.expiresAt,
      });
    }

    // The admin revokes the successor (she leaked it): refused everywhere once the 204 is back.
    const revoked = await http('DELETE', `${MEMBERS}/dana/key/${rotated.body.keyId}?reason=leaked`);
    expect(revoked.status).toBe(204);
    const position = BigInt(revoked.headers.get('x-keyward-position') as string);
    for (const check of [verify, verifyOverNats]) {
      const refused = await check(successor);
      expect(refused).toMatchObject({ valid: false, reason: 'revoked' });
      expect(BigInt(refused.position as string)).toBeGreaterThanOrEqual(position);
      expect(await check(dana.secret)).toMatchObject({ valid: true }); // still in its grace
    }
    expect(
      await http('POST', `${MEMBERS}/dana/key/${dana.keyId}/rotate`, { body: {} }),
    ).toMatchObject({ status: 409, body: { code: 'KEY.ALREADY_ROTATED' } });

    // Then every key she has left; she stays a member.
    const all = await http<RevocationReply>('POST', `${MEMBERS}/dana/key/revoke-all`, { body: {} });
    expect(all).toMatchObject({ status: 200, body: { revokedKeyIds: [dana.keyId] } });
    expect(await verify(dana.secret)).toMatchObject({ valid: false, reason: 'revoked' });
    expect(await verifyOverNats(dana.secret)).toMatchObject({ valid: false, reason: 'revoked' });
  });
});
