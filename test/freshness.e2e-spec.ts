import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import {
  NatsJsonClient,
  VERIFY_SUBJECTS as V,
  type AuthorizeReply,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';

const rootDir = resolve(__dirname, '..');
/** How many times a question goes to the queue group: with three nodes, each answers some. */
const ASKS = 30;
const DECIMAL = /^(0|[1-9][0-9]*)$/;

jest.setTimeout(120_000);

/*
 * SPEC rule 13 with real processes (three verifier nodes, a gateway with its own node, a command
 * service, a projector, nats-server): every verify / authorize / forward-auth answer names the
 * store position it was decided at, and a revoke's reply names a position that every node has
 * applied, so a caller can prove an answer is fresh: an answer at or past the revoke's position
 * was decided with the revocation applied.
 */
describe('freshness: the position on every verify answer and revoke reply', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-freshness-'));
  let system: RunningSystem;
  let operator: NatsConnection;
  let client: NatsJsonClient;
  let store: EventStore;
  let admin: string;
  let accountId: string;

  async function http(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${system.gatewayUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  }

  /** A decimal string, as a BigInt. */
  const position = (value: unknown): bigint => {
    expect(value).toMatch(DECIMAL);
    return BigInt(value as string);
  };

  /** The store position of the event that issued `keyId`, read from the store itself. */
  async function issuedAt(keyId: string): Promise<bigint> {
    const events = await store.readStream(`serviceAccount-${accountId}`);
    const issued = events.find(
      (e) => e.type === 'KeyIssued' && (e.data as { keyId: string }).keyId === keyId,
    );
    if (!issued) throw new Error(`no KeyIssued for ${keyId}`);
    return issued.position;
  }

  async function issue(): Promise<{ keyId: string; secret: string }> {
    const issued = await http('POST', `/api/service-account/v1/service-account/${accountId}/key`, {
      body: {},
      headers: { authorization: admin },
    });
    expect(issued.status).toBe(201);
    return issued.body as { keyId: string; secret: string };
  }

  const forward = (secret: string | undefined, query = '') =>
    http('GET', `/api/auth/v1/forward${query}`, {
      headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` },
    });

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir, verifiers: 3 });
    operator = await connect(system.natsSettings('operator'));
    client = new NatsJsonClient(operator);
    store = await createEventStore({ natsConnection: operator, reader: true });
    const boot = await http('POST', '/api/operator/v1/organization', {
      body: { orgId: 'fresh', name: 'Fresh', admin: { userId: 'root', displayName: 'Root' } },
      headers: { 'keyward-operator-token': system.operatorToken },
    });
    expect(boot.status).toBe(201);
    admin = (boot.body.key as { secret: string }).secret;
    const account = await http('POST', '/api/service-account/v1/service-account', {
      body: { name: 'fresh-reader', role: 'reader', resources: ['db:a'] },
      headers: { authorization: admin },
    });
    expect(account.status).toBe(201);
    accountId = account.body.id as string;
  }, 90_000);
  afterAll(async () => {
    await store?.close();
    await operator?.drain();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a valid answer, on every node and over HTTP, is at or past the event that issued the key', async () => {
    const key = await issue();
    const issued = await issuedAt(key.keyId);
    for (let i = 0; i < ASKS; i++) {
      const verified = await client.request<VerifyReply>(V.verify, { key: key.secret });
      expect(verified).toMatchObject({ valid: true, keyId: key.keyId });
      expect(position(verified.position)).toBeGreaterThanOrEqual(issued);
      const authorized = await client.request<AuthorizeReply>(V.authorize, {
        key: key.secret,
        resource: 'db:a',
        permission: 'write',
      });
      expect(authorized).toMatchObject({ valid: true, allowed: false });
      expect(position(authorized.position)).toBeGreaterThanOrEqual(issued);
    }
    const bearer = { authorization: `Bearer ${key.secret}` };
    const overHttp = await http('POST', '/api/auth/v1/verify', { headers: bearer });
    expect(overHttp.body).toMatchObject({ valid: true, keyId: key.keyId });
    expect(position(overHttp.body.position)).toBeGreaterThanOrEqual(issued);
    const allowed = await forward(key.secret, '?permission=read&resource=db:a');
    expect(allowed.status).toBe(200);
    expect(position(allowed.headers.get('x-keyward-position'))).toBeGreaterThanOrEqual(issued);
  });

  it('after a revoke replied position P, every node and the gateway answer revoked at ≥ P', async () => {
    const key = await issue();
    // Not found yet on a node? The read barrier finds it, and the answer says so: ≥ the issue.
    const revoked = await http(
      'DELETE',
      `/api/service-account/v1/service-account/${accountId}/key/${key.keyId}`,
      { headers: { authorization: admin } },
    );
    expect(revoked.status).toBe(204);
    const p = position(revoked.headers.get('x-keyward-position'));
    expect(p).toBeGreaterThanOrEqual(await issuedAt(key.keyId));
    for (let i = 0; i < ASKS; i++) {
      const verified = await client.request<VerifyReply>(V.verify, { key: key.secret });
      expect(verified).toMatchObject({ valid: false, reason: 'revoked' });
      expect(position(verified.position)).toBeGreaterThanOrEqual(p);
      const authorized = await client.request<AuthorizeReply>(V.authorize, {
        authorization: `Bearer ${key.secret}`,
        resource: 'db:a',
        permission: 'read',
      });
      expect(authorized).toMatchObject({ valid: false, allowed: false, reason: 'revoked' });
      expect(position(authorized.position)).toBeGreaterThanOrEqual(p);
    }
    const bearer = { authorization: `Bearer ${key.secret}` };
    const overHttp = await http('POST', '/api/auth/v1/verify', { headers: bearer });
    expect(overHttp.body).toMatchObject({ valid: false, reason: 'revoked' });
    expect(position(overHttp.body.position)).toBeGreaterThanOrEqual(p);
    const authorizedOverHttp = await http('POST', '/api/auth/v1/authorize', {
      headers: bearer,
      body: { resource: 'db:a', permission: 'read' },
    });
    expect(authorizedOverHttp.body).toMatchObject({ valid: false, allowed: false });
    expect(position(authorizedOverHttp.body.position)).toBeGreaterThanOrEqual(p);
    const refused = await forward(key.secret);
    expect(refused.status).toBe(401);
    expect(position(refused.headers.get('x-keyward-position'))).toBeGreaterThanOrEqual(p);
  });

  it('revoke-all and revoke-by-value carry the position in the body; a repeat names one too', async () => {
    const [first, second] = [await issue(), await issue()];
    const all = await http(
      'POST',
      `/api/service-account/v1/service-account/${accountId}/key/revoke-all`,
      { body: {}, headers: { authorization: admin } },
    );
    expect(all.status).toBe(200);
    expect(all.body.revokedKeyIds).toEqual(expect.arrayContaining([first.keyId, second.keyId]));
    const p = position(all.body.position);
    const again = await http('POST', '/api/key/v1/revoke-by-value', {
      body: { key: first.secret },
      headers: { authorization: admin },
    });
    expect(again.status).toBe(200);
    // Nothing left to revoke: the reply names the head it waited for, at or past the first.
    expect(again.body.revokedKeyIds).toEqual([]);
    expect(position(again.body.position)).toBeGreaterThanOrEqual(p);
    for (let i = 0; i < ASKS / 3; i++) {
      const verified = await client.request<VerifyReply>(V.verify, { key: second.secret });
      expect(verified).toMatchObject({ valid: false, reason: 'revoked' });
      expect(position(verified.position)).toBeGreaterThanOrEqual(p);
    }
  });

  it('forward-auth names its position on 200, 401 (no credential, unknown, malformed) and 403', async () => {
    const key = await issue();
    const issued = await issuedAt(key.keyId);
    const answers = [
      [await forward(key.secret), 200],
      [await forward(undefined), 401],
      [await forward('kw_live_not-a-key'), 401],
      [await forward(key.secret, '?permission=write&resource=db:a'), 403],
    ] as const;
    for (const [answer, status] of answers) {
      expect(answer.status).toBe(status);
      // The gateway's node has applied the issue (the 200 proves it found the key) by now.
      expect(position(answer.headers.get('x-keyward-position'))).toBeGreaterThanOrEqual(issued);
    }
    // A malformed verify is stamped too (the node's applied position), over NATS and HTTP.
    const malformed = await client.request<VerifyReply>(V.verify, { key: 'kw_live_nope' });
    expect(malformed).toMatchObject({ valid: false, reason: 'malformed' });
    position(malformed.position);
    const overHttp = await http('POST', '/api/auth/v1/verify', {
      headers: { authorization: 'Bearer nope' },
    });
    expect(overHttp.body).toMatchObject({ valid: false, reason: 'malformed' });
    position(overHttp.body.position);
  });
});
