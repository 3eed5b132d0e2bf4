import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  NatsJsonClient,
  VERIFY_SUBJECTS as V,
  type AuditEntryView,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';

/**
 * The REST API as a user reaches it: `npm run up`'s processes (NATS with authorization, command,
 * two verifiers, projector, gateway), plain HTTP with fetch.
 */
const rootDir = resolve(__dirname, '..');

interface Response<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

describe('the HTTP gateway under npm run up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-gateway-'));
  let system: RunningSystem;
  let operator: NatsConnection;
  let admin: string;

  async function http<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Response<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    let payload: string | undefined = options.raw;
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
    return { status: response.status, headers: response.headers, body: body as T, text };
  }
  const as = (authorization: string) => ({ authorization });
  const storedEvents = async () =>
    (await (await operator.jetstreamManager()).streams.info('KEYWARD_EVENTS')).state.messages;

  /** The projector follows the store: poll a read until it shows what was just written. */
  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const value = await read();
      if (ok(value) || attempt === 100) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir });
    operator = await connect(system.natsSettings('operator'));
    const boot = await http<{ orgId: string; key: { secret: string } }>(
      'POST',
      '/api/operator/v1/organization',
      {
        body: { orgId: 'acme', name: 'Acme', admin: { userId: 'root', displayName: 'Root' } },
        headers: { 'keyward-operator-token': system.operatorToken },
      },
    );
    expect(boot.status).toBe(201);
    admin = boot.body.key.secret;
  }, 90_000);
  afterAll(async () => {
    await operator?.drain();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe("seed 003's four calls, verbatim", () => {
    let id: string;
    let keyId: string;

    it('POST /api/service-account/v1/service-account → 201 {id, name, enableBasicAuth, created, keys: []}', async () => {
      const created = await http('POST', '/api/service-account/v1/service-account', {
        raw: '{\n  "enableBasicAuth": true,\n  "name": "John Doe"\n}',
        headers: { authorization: admin, 'content-type': 'application/json', accept: '*/*' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'John Doe', enableBasicAuth: true, keys: [] });
      expect(Math.abs((created.body.created as number) - Date.now() / 1000)).toBeLessThan(60);
      id = created.body.id as string;
    });

    it('POST /api/service-account/v1/service-account/{id}/key with {} → 201 {created, keyId, secret}', async () => {
      const issued = await http('POST', `/api/service-account/v1/service-account/${id}/key`, {
        raw: '{}',
        headers: { authorization: admin, 'content-type': 'application/json' },
      });
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({
        created: expect.any(Number),
        keyId: expect.stringMatching(/^key_/),
        secret: expect.stringMatching(/^kw_live_/),
      });
      keyId = issued.body.keyId as string;
      const client = new NatsJsonClient(operator);
      const verified = await client.request<VerifyReply>(V.verify, { key: issued.body.secret });
      expect(verified).toMatchObject({ valid: true, keyId });
    });

    it('DELETE …/{id}/key/{keyId} → 204, and the key no longer verifies (G1 over REST)', async () => {
      const secret = (
        await http('POST', `/api/service-account/v1/service-account/${id}/key`, {
          headers: as(admin),
        })
      ).body as { keyId: string; secret: string };
      const revoked = await http(
        'DELETE',
        `/api/service-account/v1/service-account/${id}/key/${secret.keyId}`,
        { headers: as(admin) },
      );
      expect(revoked.status).toBe(204);
      expect(revoked.text).toBe('');
      const verified = await new NatsJsonClient(operator).request<VerifyReply>(V.verify, {
        key: secret.secret,
      });
      expect(verified).toEqual({
        valid: false,
        reason: 'revoked',
        position: expect.stringMatching(/^\d+$/),
      });
      expect(
        (
          await http('DELETE', `/api/service-account/v1/service-account/${id}/key/${keyId}`, {
            headers: as(admin),
          })
        ).status,
      ).toBe(204);
    });

    it('DELETE /api/service-account/v1/service-account/{id} → 204', async () => {
      const deleted = await http('DELETE', `/api/service-account/v1/service-account/${id}`, {
        headers: as(admin),
      });
      expect(deleted.status).toBe(204);
      const again = await http('DELETE', `/api/service-account/v1/service-account/${id}`, {
        headers: as(admin),
      });
      expect(again).toMatchObject({ status: 409, body: { code: 'SERVICE_ACCOUNT.DELETED' } });
    });
  });

  describe('the rest of the service-account paths', () => {
    it('lists, gets, renames, lists keys, revokes all and revokes by value', async () => {
      const account = await http('POST', '/api/service-account/v1/service-account?orgId=acme', {
        body: { name: 'etl', role: 'writer', resources: ['db:analytics'] },
        headers: as(`Bearer ${admin}`),
      });
      expect(account.status).toBe(201);
      const id = account.body.id as string;
      const keys = await Promise.all(
        [1, 2, 3].map(() =>
          http<{ keyId: string; secret: string }>(
            'POST',
            `/api/service-account/v1/service-account/${id}/key`,
            { body: {}, headers: as(admin) },
          ),
        ),
      );
      const renamed = await http('PATCH', `/api/service-account/v1/service-account/${id}`, {
        body: { name: 'etl-renamed' },
        headers: as(admin),
      });
      expect(renamed).toMatchObject({ status: 200, body: { name: 'etl-renamed' } });
      const listed = await eventually(
        () =>
          http<{ items: { id: string; name: string; activeKeys: number }[] }>(
            'GET',
            '/api/service-account/v1/service-account?namePrefix=etl&limit=10',
            { headers: as(admin) },
          ),
        (r) => r.body.items?.[0]?.activeKeys === 3 && r.body.items[0].name === 'etl-renamed',
      );
      expect(listed.body.items).toMatchObject([{ id, name: 'etl-renamed', activeKeys: 3 }]);
      const one = await http<{ keys: unknown[] }>(
        'GET',
        `/api/service-account/v1/service-account/${id}`,
        { headers: as(admin) },
      );
      expect(one.status).toBe(200);
      expect(one.body.keys).toHaveLength(3);
      expect(one.text).not.toContain(keys[0].body.secret);
      const keyList = await http<{ items: { keyId: string }[]; nextCursor: null }>(
        'GET',
        `/api/service-account/v1/service-account/${id}/key`,
        { headers: as(admin) },
      );
      expect(keyList.body.items.map((k) => k.keyId).sort()).toEqual(
        keys.map((k) => k.body.keyId).sort(),
      );

      const byValue = await http('POST', '/api/key/v1/revoke-by-value', {
        body: { key: keys[0].body.secret },
        headers: as(admin),
      });
      expect(byValue).toMatchObject({ status: 200, body: { revokedKeyIds: [keys[0].body.keyId] } });
      const all = await http<{ revokedKeyIds: string[] }>(
        'POST',
        `/api/service-account/v1/service-account/${id}/key/revoke-all`,
        { headers: as(admin) },
      );
      expect(all.status).toBe(200);
      expect(all.body.revokedKeyIds.sort()).toEqual(
        [keys[1].body.keyId, keys[2].body.keyId].sort(),
      );
    });

    it("refuses another organization's id with 404, never its data", async () => {
      const other = await http('GET', '/api/service-account/v1/service-account?orgId=globex', {
        headers: as(admin),
      });
      expect(other.status).toBe(404);
      expect(other.body).toMatchObject({ code: 'AUTH.ORG_MISMATCH' });
    });
  });

  describe('members, personal keys, roles and policy', () => {
    it('adds a member, issues and lists their keys, changes grants and removes them', async () => {
      const added = await http('POST', '/api/member/v1/member', {
        body: {
          userId: 'dana',
          displayName: 'Dana',
          grants: [{ resource: 'db:analytics', role: 'reader' }],
        },
        headers: as(admin),
      });
      expect(added.status).toBe(201);
      const key = await http<{ secret: string; keyId: string }>(
        'POST',
        '/api/member/v1/member/dana/key',
        { body: { name: 'laptop' }, headers: as(admin) },
      );
      expect(key.status).toBe(201);
      const own = await eventually(
        () =>
          http<{ items: { keyId: string }[] }>('GET', '/api/me/v1/key', {
            headers: as(key.body.secret),
          }),
        (r) => r.body.items?.length === 1,
      );
      expect(own.body.items.map((k) => k.keyId)).toEqual([key.body.keyId]);
      const theirs = await http<{ items: unknown[] }>('GET', '/api/member/v1/member/dana/key', {
        headers: as(admin),
      });
      expect(theirs.body.items).toHaveLength(1);
      const changed = await http('PATCH', '/api/member/v1/member/dana', {
        body: { grants: [{ resource: 'db:analytics', role: 'writer' }] },
        headers: as(admin),
      });
      expect(changed.status).toBe(200);
      const members = await eventually(
        () =>
          http<{ items: { userId: string }[] }>('GET', '/api/member/v1/member', {
            headers: as(admin),
          }),
        (r) => r.body.items?.length === 2,
      );
      expect(members.body.items.map((m) => m.userId).sort()).toEqual(['dana', 'root']);
      expect(
        (await http('DELETE', '/api/member/v1/member/dana', { headers: as(admin) })).status,
      ).toBe(204);
    });

    it("issues, revokes and revokes all of the caller's own keys", async () => {
      const mine = await http<{ keyId: string }>('POST', '/api/me/v1/key', {
        body: { name: 'ci' },
        headers: as(admin),
      });
      expect(mine.status).toBe(201);
      expect(
        (await http('DELETE', `/api/me/v1/key/${mine.body.keyId}`, { headers: as(admin) })).status,
      ).toBe(204);
      const spare = await http<{ secret: string }>('POST', '/api/me/v1/key', {
        headers: as(admin),
      });
      const all = await http<{ revokedKeyIds: string[] }>('POST', '/api/me/v1/key/revoke-all', {
        headers: as(spare.body.secret),
      });
      expect(all.status).toBe(200);
      expect(all.body.revokedKeyIds.length).toBeGreaterThanOrEqual(2);
      // The bootstrap key went with them: use a fresh one from here on.
      const boot = await http<{ key: { secret: string } }>(
        'POST',
        '/api/operator/v1/organization',
        {
          body: { orgId: 'acme2', name: 'Acme 2', admin: { userId: 'root', displayName: 'Root' } },
          headers: { 'keyward-operator-token': system.operatorToken },
        },
      );
      admin = boot.body.key.secret;
    });

    it('defines a role, lists roles and sets the policy', async () => {
      const role = await http('POST', '/api/role/v1/role', {
        body: { name: 'auditor', permissions: ['read'] },
        headers: as(admin),
      });
      expect(role.status).toBe(201);
      const roles = await eventually(
        () =>
          http<{ items: { name: string }[] }>('GET', '/api/role/v1/role', { headers: as(admin) }),
        (r) => r.body.items?.some((item) => item.name === 'auditor'),
      );
      expect(roles.body.items.map((r) => r.name)).toContain('auditor');
      const policy = await http('PUT', '/api/organization/v1/policy', {
        body: { maxActiveKeysPerPrincipal: 50 },
        headers: as(admin),
      });
      expect(policy).toMatchObject({ status: 200, body: { maxActiveKeysPerPrincipal: 50 } });
      const read = await eventually(
        () => http('GET', '/api/organization/v1/policy', { headers: as(admin) }),
        (r) => r.body.maxActiveKeysPerPrincipal === 50,
      );
      expect(read.body).toEqual({
        maxActiveKeysPerPrincipal: 50,
        maxKeyLifetimeSeconds: null,
        allowedServiceAccountRoles: null,
        expiryNoticeSeconds: null,
      });
    });

    it('refuses a bootstrap without the operator token, or of an existing org', async () => {
      const body = { orgId: 'acme2', name: 'x', admin: { userId: 'a', displayName: 'A' } };
      expect((await http('POST', '/api/operator/v1/organization', { body })).status).toBe(401);
      const again = await http('POST', '/api/operator/v1/organization', {
        body,
        headers: { 'keyward-operator-token': system.operatorToken },
      });
      expect(again.status).toBe(409);
    });
  });

  describe('errors: one body, a stable code, nothing written', () => {
    it.each([
      [
        'no credential',
        'POST',
        '/api/service-account/v1/service-account',
        { body: { name: 'x' } },
        401,
        'AUTH.MISSING_CREDENTIAL',
      ],
      [
        'a key that does not exist',
        'POST',
        '/api/service-account/v1/service-account',
        {
          body: { name: 'x' },
          headers: { authorization: 'kw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
        },
        401,
        undefined,
      ],
      ['an unknown route', 'GET', '/api/nothing/here', {}, 404, 'ROUTE.NOT_FOUND'],
      [
        'bad JSON',
        'POST',
        '/api/service-account/v1/service-account',
        { raw: '{"name":', headers: { 'content-type': 'application/json' } },
        400,
        'REQUEST.MALFORMED_JSON',
      ],
      [
        'a JSON array',
        'POST',
        '/api/service-account/v1/service-account',
        { body: [1] },
        400,
        'REQUEST.NOT_AN_OBJECT',
      ],
      [
        'text/plain',
        'POST',
        '/api/service-account/v1/service-account',
        { raw: 'name=x', headers: { 'content-type': 'text/plain' } },
        415,
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        'a form',
        'POST',
        '/api/service-account/v1/service-account',
        { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        415,
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      ],
      [
        '70 KB',
        'POST',
        '/api/service-account/v1/service-account',
        { body: { name: 'n'.repeat(70_000) } },
        413,
        'REQUEST.TOO_LARGE',
      ],
      [
        'an unknown field',
        'POST',
        '/api/service-account/v1/service-account',
        { body: { name: 'x', admin: true } },
        400,
        'VALIDATION.FAILED',
      ],
      [
        '__proto__',
        'POST',
        '/api/service-account/v1/service-account',
        {
          raw: '{"name":"x","__proto__":{"a":1}}',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'VALIDATION.FAILED',
      ],
      [
        'a bad account id',
        'POST',
        '/api/service-account/v1/service-account/not-an-id/key',
        { body: {} },
        400,
        'VALIDATION.FAILED',
      ],
      [
        'an id in both path and body',
        'POST',
        '/api/service-account/v1/service-account/sa_00000000000000000000000000000000/key',
        { body: { id: 'sa_1' } },
        400,
        'VALIDATION.FAILED',
      ],
      [
        'a non-integer limit',
        'GET',
        '/api/service-account/v1/service-account?limit=1e308',
        {},
        400,
        'VALIDATION.FAILED',
      ],
    ] as const)('%s: %s %s → %i %s', async (_name, method, path, options, status, code) => {
      const before = await storedEvents();
      const headers: Record<string, string> = {
        authorization: admin,
        ...('headers' in options ? options.headers : {}),
      };
      if (code === 'AUTH.MISSING_CREDENTIAL') delete headers.authorization;
      const response = await http(method, path, { ...options, headers });
      expect(response.status).toBe(status);
      expect(
        Object.keys(response.body).every((k) => ['code', 'message', 'details'].includes(k)),
      ).toBe(true);
      expect(response.body.message).toEqual(expect.any(String));
      if (code) expect(response.body.code).toBe(code);
      if (code === 'VALIDATION.FAILED') {
        expect(response.body.details).toEqual(
          expect.arrayContaining([{ field: expect.any(String), problem: expect.any(String) }]),
        );
      }
      expect(await storedEvents()).toBe(before);
    });

    it('an Idempotency-Key reused for another request is 422', async () => {
      const headers = { authorization: admin, 'idempotency-key': 'create-once' };
      const first = await http('POST', '/api/service-account/v1/service-account', {
        body: { name: 'idem' },
        headers,
      });
      const retry = await http('POST', '/api/service-account/v1/service-account', {
        body: { name: 'idem' },
        headers,
      });
      expect([first.status, retry.status]).toEqual([201, 201]);
      expect(retry.body.id).toBe(first.body.id);
      const reused = await http('POST', '/api/service-account/v1/service-account', {
        body: { name: 'other' },
        headers,
      });
      expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY.KEY_REUSED' } });
    });

    it('echoes X-Request-Id, or sends a new one', async () => {
      const sent = await http('GET', '/api/role/v1/role', {
        headers: { authorization: admin, 'x-request-id': 'trace-123' },
      });
      expect(sent.headers.get('x-request-id')).toBe('trace-123');
      const fresh = await http('GET', '/api/nothing', {});
      expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('the audit log over HTTP', () => {
    it('names the real principal and where the request came from', async () => {
      await http('POST', '/api/service-account/v1/service-account', {
        body: { name: 'audited' },
        headers: { authorization: admin, 'user-agent': 'e2e-agent/1.0', 'x-request-id': 'audit-1' },
      });
      const entries = await eventually(
        () =>
          http<{ items: AuditEntryView[] }>(
            'GET',
            '/api/audit/v1/entry?action=service_account.created&limit=5',
            {
              headers: as(admin),
            },
          ),
        (r) => r.body.items?.some((e) => e.correlationId === 'audit-1'),
      );
      const entry = entries.body.items.find((e) => e.correlationId === 'audit-1');
      expect(entry).toMatchObject({
        actor: { kind: 'member', id: 'root' },
        source: { ip: '127.0.0.1', userAgent: 'e2e-agent/1.0', channel: 'http' },
      });
    });

    it('exports the filtered log as NDJSON and as CSV, and resumes after a given entry', async () => {
      const ndjson = await http('GET', '/api/audit/v1/export?format=ndjson', {
        headers: as(admin),
      });
      expect(ndjson.status).toBe(200);
      expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const lines = ndjson.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEntryView);
      expect(lines.length).toBeGreaterThan(3);
      const csv = await http('GET', '/api/audit/v1/export?format=csv', { headers: as(admin) });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const rows = csv.text.trim().split('\r\n');
      expect(rows[0]).toMatch(/^id,occurredAt,action,/);
      expect(rows.length).toBe(lines.length + 1);
      expect(rows[1].startsWith(`${lines[0].id},`)).toBe(true);
      const resumed = await http('GET', `/api/audit/v1/export?after=${lines[1].id}`, {
        headers: as(admin),
      });
      const rest = resumed.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as AuditEntryView);
      expect(rest.map((e) => e.id)).toEqual(lines.slice(2).map((e) => e.id));
      const bad = await http('GET', '/api/audit/v1/export?format=xml', { headers: as(admin) });
      expect(bad).toMatchObject({ status: 400, body: { code: 'VALIDATION.FAILED' } });
      const unknown = await http('GET', '/api/audit/v1/export?after=ev_999999999', {
        headers: as(admin),
      });
      expect(unknown).toMatchObject({ status: 404, body: { code: 'AUDIT.ENTRY_NOT_FOUND' } });
    });
  });
});
