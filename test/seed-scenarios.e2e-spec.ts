import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import {
  DEFAULT_NATS_STREAMS,
  NatsJsonClient,
  VERIFY_SUBJECTS as V,
  type AuditEntryView,
  type KeyView,
  type ServiceAccountWithKeysView,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem, type SystemOptions } from '../scripts/lib/system';
import { bootstrapOverHttp } from './support/bootstrap';

/**
 * One scenario per seed document, over HTTP, against two gateways and three verifiers as
 * separate processes: what each vendor's users do, done with Keyward. Each runs twice: on one
 * nats-server, and on a 3-node JetStream cluster (the event and usage streams at 3 replicas)
 * with two command services and two projectors, each service connected to a different node
 * (issue 16, item 6).
 */
const rootDir = resolve(__dirname, '..');
const SA = '/api/service-account/v1/service-account';

type Topology = Pick<SystemOptions, 'natsNodes' | 'commands' | 'projectors'>;
const TOPOLOGIES: [string, Topology][] = [
  ['one nats-server', {}],
  ['a 3-node JetStream cluster', { natsNodes: 3, commands: 2, projectors: 2 }],
];

describe.each(TOPOLOGIES)('the seed documents, end to end over HTTP, on %s', (_, topology) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-seeds-'));
  let system: RunningSystem;
  let nats: NatsConnection;
  let admin: string;
  /** Alternates between the two gateways, so every scenario crosses both. */
  let turn = 0;

  async function http<T = Record<string, unknown>>(
    method: string,
    path: string,
    authorization: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const base = system.gatewayUrls[turn++ % system.gatewayUrls.length];
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
  }
  const verify = (key: string) => new NatsJsonClient(nats).request<VerifyReply>(V.verify, { key });
  async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const value = await read();
      if (ok(value) || attempt === 200) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const account = (id: string) =>
    http<ServiceAccountWithKeysView>('GET', `${SA}/${id}`, admin).then((r) => r.body);
  const issue = async (id: string, name?: string) =>
    (await http<{ keyId: string; secret: string }>('POST', `${SA}/${id}/key`, admin, { name }))
      .body;

  beforeAll(async () => {
    system = await startSystem({
      ...topology,
      dataDir,
      rootDir,
      verifiers: 3,
      gateways: 2,
      env: { KEYWARD_USAGE_FLUSH_MS: '200' },
    });
    nats = await connect(system.natsSettings('internal-client'));
    admin = await bootstrapOverHttp(system, 'seeds');
  }, 120_000);
  afterAll(async () => {
    await nats?.drain();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('000/001 (bit.io): single- and multi-resource accounts, least privilege, revoke by value, revoke all, delete', async () => {
    const single = await http<{ id: string; resources: string[] }>('POST', SA, admin, {
      name: 'reporting',
      role: 'reader',
      resources: ['db:sales'],
    });
    const multi = await http<{ id: string; resources: string[] }>('POST', SA, admin, {
      name: 'etl',
      role: 'writer',
      resources: ['db:sales', 'db:marketing'],
    });
    expect([single.status, multi.status]).toEqual([201, 201]);
    expect(multi.body.resources).toEqual(['db:sales', 'db:marketing']);

    // A member who may write only db:sales cannot make an account that writes db:marketing.
    await http('POST', '/api/member/v1/member', admin, {
      userId: 'analyst',
      displayName: 'Analyst',
      grants: [{ resource: 'db:sales', role: 'writer' }],
    });
    const analyst = await http<{ secret: string }>(
      'POST',
      '/api/member/v1/member/analyst/key',
      admin,
      {},
    );
    const refused = await http<{ code: string; message: string; details: unknown[] }>(
      'POST',
      SA,
      analyst.body.secret,
      { name: 'too-much', role: 'writer', resources: ['db:sales', 'db:marketing'] },
    );
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('AUTH.LEAST_PRIVILEGE');
    expect(refused.body.details).toEqual([
      { field: 'resources', problem: expect.stringContaining('db:marketing') },
    ]);
    expect(refused.body.message).toContain('db:marketing');

    // Revoke a single key by presenting its value (seed 000's "Revoke Single API Key").
    const keys = [
      await issue(multi.body.id),
      await issue(multi.body.id),
      await issue(multi.body.id),
    ];
    const byValue = await http('POST', '/api/key/v1/revoke-by-value', admin, {
      key: keys[0].secret,
    });
    expect(byValue.body).toEqual({
      revokedKeyIds: [keys[0].keyId],
      position: expect.stringMatching(/^\d+$/),
    });
    expect(await verify(keys[0].secret)).toEqual({
      valid: false,
      reason: 'revoked',
      position: expect.stringMatching(/^\d+$/),
    });
    expect((await verify(keys[1].secret)).valid).toBe(true);
    // "Revoke (2) Active Keys".
    const all = await http<{ revokedKeyIds: string[] }>(
      'POST',
      `${SA}/${multi.body.id}/key/revoke-all`,
      admin,
    );
    expect(all.body.revokedKeyIds.sort()).toEqual([keys[1].keyId, keys[2].keyId].sort());
    for (const key of keys) expect((await verify(key.secret)).valid).toBe(false);

    // Deleting an account stops its keys at once.
    const last = await issue(single.body.id);
    expect((await verify(last.secret)).valid).toBe(true);
    expect((await http('DELETE', `${SA}/${single.body.id}`, admin)).status).toBe(204);
    expect(await verify(last.secret)).toEqual({
      valid: false,
      reason: 'account_deleted',
      position: expect.stringMatching(/^\d+$/),
    });
  });

  it('the event stream has one replica per NATS node', async () => {
    // The internal client may not use the JetStream API; the operator may.
    const operator = await connect(system.natsSettings('operator'));
    try {
      const jsm = await operator.jetstreamManager();
      const info = await jsm.streams.info(DEFAULT_NATS_STREAMS.eventStream);
      expect(info.config.num_replicas).toBe(topology.natsNodes ?? 1);
      expect(info.cluster?.replicas ?? []).toHaveLength((topology.natsNodes ?? 1) - 1);
    } finally {
      await operator.close();
    }
  });

  it('003: the four calls — create with Basic Auth, issue a key, revoke it, delete the account', async () => {
    const created = await http<{ id: string; name: string; enableBasicAuth: boolean; keys: [] }>(
      'POST',
      SA,
      admin,
      { enableBasicAuth: true, name: 'John Doe' },
    );
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'John Doe', enableBasicAuth: true, keys: [] },
    });
    const issued = await http<{ keyId: string; secret: string }>(
      'POST',
      `${SA}/${created.body.id}/key`,
      admin,
      {},
    );
    expect(issued.status).toBe(201);
    expect((await verify(issued.body.secret)).valid).toBe(true);
    const revoked = await http(
      'DELETE',
      `${SA}/${created.body.id}/key/${issued.body.keyId}`,
      admin,
    );
    expect(revoked.status).toBe(204);
    expect(await verify(issued.body.secret)).toEqual({
      valid: false,
      reason: 'revoked',
      position: expect.stringMatching(/^\d+$/),
    });
    expect((await http('DELETE', `${SA}/${created.body.id}`, admin)).status).toBe(204);
  });

  it('002 (Bigeye): create with a role, rename, list keys, revoke them', async () => {
    const created = await http<{ id: string; role: string }>('POST', SA, admin, {
      name: 'bigeye-monitor',
      description: 'data observability',
      role: 'reader',
    });
    expect(created.body.role).toBe('reader');
    const id = created.body.id;
    const first = await issue(id, 'primary');
    const second = await issue(id, 'secondary');
    const renamed = await http('PATCH', `${SA}/${id}`, admin, { name: 'bigeye-monitor-prod' });
    expect(renamed.body).toMatchObject({ name: 'bigeye-monitor-prod' });
    const listed = await eventually(
      () => http<{ items: KeyView[] }>('GET', `${SA}/${id}/key`, admin),
      (r) => r.body.items?.length === 2,
    );
    expect(listed.body.items.map((k) => k.name).sort()).toEqual(['primary', 'secondary']);
    expect(JSON.stringify(listed.body)).not.toContain(first.secret);
    expect((await http('DELETE', `${SA}/${id}/key/${first.keyId}`, admin)).status).toBe(204);
    const after = await eventually(
      () => account(id),
      (a) => a.keys.find((k) => k.keyId === first.keyId)?.status === 'revoked',
    );
    expect(after.name).toBe('bigeye-monitor-prod');
    expect(after.keys.find((k) => k.keyId === first.keyId)).toMatchObject({
      status: 'revoked',
      revoked: { by: { kind: 'member', id: 'owner' }, reason: 'manual' },
    });
    expect((await verify(second.secret)).valid).toBe(true);
  });

  it('004: rotate without downtime — a second key, traffic moves, the old key is revoked, the new one keeps working', async () => {
    const { body } = await http<{ id: string }>('POST', SA, admin, {
      name: 'support-bot-prod',
      description: 'owned by the support team',
      role: 'reader',
    });
    const old = await issue(body.id, 'v1');
    for (let i = 0; i < 5; i++) expect((await verify(old.secret)).valid).toBe(true);
    const used = await eventually(
      () => account(body.id),
      (a) => (a.keys.find((k) => k.keyId === old.keyId)?.uses ?? 0) >= 5,
    );
    expect(used.keys.find((k) => k.keyId === old.keyId)?.lastUsed).toEqual(expect.any(Number));

    const next = await issue(body.id, 'v2');
    for (let i = 0; i < 5; i++) expect((await verify(next.secret)).valid).toBe(true);
    const moved = await eventually(
      () => account(body.id),
      (a) => (a.keys.find((k) => k.keyId === next.keyId)?.uses ?? 0) >= 5,
    );
    expect(moved.keys.find((k) => k.keyId === next.keyId)?.lastUsed).toEqual(expect.any(Number));

    // Revoked through one gateway; no verifier accepts it after the reply (G1).
    expect((await http('DELETE', `${SA}/${body.id}/key/${old.keyId}`, admin)).status).toBe(204);
    expect(await verify(old.secret)).toEqual({
      valid: false,
      reason: 'revoked',
      position: expect.stringMatching(/^\d+$/),
    });
    for (let i = 0; i < 5; i++) expect((await verify(next.secret)).valid).toBe(true);

    // Revoking the whole account: every key stops, and the principal is inactive in the log.
    expect((await http('DELETE', `${SA}/${body.id}`, admin)).status).toBe(204);
    expect((await verify(next.secret)).valid).toBe(false);
    const log = await eventually(
      () =>
        http<{ items: AuditEntryView[] }>(
          'GET',
          `/api/audit/v1/entry?target=${body.id}&limit=50`,
          admin,
        ),
      (r) => r.body.items?.some((e) => e.action === 'service_account.deleted'),
    );
    expect(
      log.body.items.every((e) => e.target.active === false || e.target.owner?.active === false),
    ).toBe(true);
  });
});
