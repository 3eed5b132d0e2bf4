import { headers as natsHeaders, JSONCodec } from 'nats';
import {
  COMMAND_SUBJECTS as C,
  HEADERS,
  PROJECTOR_HEALTH_SUBJECT,
  QUERY_SUBJECTS as Q,
  usageSubject,
  type AuditEntryView,
  type AuditExportPage,
  type IssuedKeyReply,
  type KeyUsageRollup,
  type KeyView,
  type MemberView,
  type Page,
  type Reply,
  type RoleView,
  type ServiceAccountReply,
  type ServiceAccountUsageView,
  type ServiceAccountView,
  type ServiceAccountWithKeysView,
} from '@keyward/messaging';
import { bearer, expectReplyError } from '../../command/test/expect-reply-error';
import { startProjectorHarness, type ProjectorHarness } from './projector.harness';

describe('projector queries over NATS (real nats-server, command service, verifier)', () => {
  let h: ProjectorHarness;
  let acme: string;
  let globex: string;
  let memberKey: string;
  let readerKey: string;
  const accounts: Record<string, ServiceAccountReply> = {};
  let keys: IssuedKeyReply[];

  const query = <T>(subject: string, body: object, auth: string) =>
    h.client.request<T>(subject, body, { authorization: auth });
  const command = <T>(subject: string, body: object, auth = acme) =>
    h.client.request<T>(subject, body, { authorization: auth });

  beforeAll(async () => {
    h = await startProjectorHarness();
    acme = bearer((await h.bootstrap('acme')).key.secret as string);
    globex = bearer((await h.bootstrap('globex')).key.secret as string);
    for (const name of ['Alpha', 'alpine', 'Beta', 'gamma']) {
      accounts[name] = await command<ServiceAccountReply>(C.createServiceAccount, { name });
    }
    keys = [
      await command<IssuedKeyReply>(C.issueServiceAccountKey, {
        id: accounts.Alpha.id,
        name: 'one',
      }),
      await command<IssuedKeyReply>(C.issueServiceAccountKey, {
        id: accounts.Alpha.id,
        name: 'two',
      }),
    ];
    await command(C.revokeServiceAccountKey, {
      id: accounts.Alpha.id,
      keyId: keys[0].keyId,
      reason: 'leaked',
    });
    readerKey = bearer(keys[1].secret as string);
    await command(C.updateServiceAccount, { id: accounts.gamma.id, name: 'gamma-renamed' });
    await command(C.deleteServiceAccount, { id: accounts.Beta.id });
    await command(C.addMember, {
      userId: 'bob',
      displayName: 'Bob',
      grants: [{ resource: 'db:x', role: 'reader' }],
    });
    memberKey = bearer(
      (await command<IssuedKeyReply>(C.issuePersonalKey, { userId: 'bob' })).secret as string,
    );
    await command(C.issuePersonalKey, { name: 'second' }, memberKey);
    await command(C.defineRole, { name: 'auditor', permissions: ['read'] });
    await command(C.createServiceAccount, { name: 'globex-bot' }, globex);
    await h.synced();
  }, 60_000);
  afterAll(() => h.stopAll());

  describe('service accounts', () => {
    const list = (body: object, auth = acme) =>
      query<Page<ServiceAccountView>>(Q.listServiceAccounts, body, auth);

    it('lists active accounts by name, case-insensitively, with their status and active keys', async () => {
      const page = await list({});
      expect(page.items.map((a) => a.name)).toEqual(['Alpha', 'alpine', 'gamma-renamed']);
      expect(page.items[0]).toMatchObject({
        status: 'active',
        activeKeys: 1,
        role: 'reader',
        lastUsed: null,
      });
      expect(page.nextCursor).toBeNull();
    });

    it('filters by status and by a case-insensitive name prefix', async () => {
      expect((await list({ status: 'deleted' })).items.map((a) => a.name)).toEqual(['Beta']);
      expect((await list({ status: 'all' })).items).toHaveLength(4);
      expect((await list({ namePrefix: 'ALP' })).items.map((a) => a.name)).toEqual([
        'Alpha',
        'alpine',
      ]);
      expect(await list({ namePrefix: 'zzz' })).toEqual({ items: [], nextCursor: null });
    });

    it('pages: exactly one page has no cursor; the last page ends the cursor chain', async () => {
      expect((await list({ limit: 3 })).nextCursor).toBeNull();
      const first = await list({ limit: 2 });
      expect(first.items.map((a) => a.name)).toEqual(['Alpha', 'alpine']);
      const last = await list({ limit: 2, cursor: first.nextCursor });
      expect(last).toEqual({
        items: [expect.objectContaining({ name: 'gamma-renamed' })],
        nextCursor: null,
      });
    });

    it('refuses a cursor from another org, from other filters, or tampered with', async () => {
      const { nextCursor } = await list({ limit: 1 });
      await expectReplyError(
        list({ limit: 1, cursor: nextCursor }, globex),
        'QUERY.INVALID_CURSOR',
      );
      await expectReplyError(
        list({ limit: 1, cursor: nextCursor, status: 'all' }),
        'QUERY.INVALID_CURSOR',
      );
      const tampered = `${(nextCursor as string).slice(0, -2)}xx`;
      await expectReplyError(list({ limit: 1, cursor: tampered }), 'QUERY.INVALID_CURSOR');
    });

    it('gets one account with every key: hint, status, revocation; never a hash', async () => {
      const account = await query<ServiceAccountWithKeysView>(
        Q.getServiceAccount,
        { id: accounts.Alpha.id },
        acme,
      );
      expect(account.keys.map((k) => [k.name, k.status])).toEqual([
        ['one', 'revoked'],
        ['two', 'active'],
      ]);
      expect(account.keys[0].revoked).toMatchObject({
        by: { kind: 'member', id: 'admin' },
        reason: 'leaked',
      });
      expect(account.keys[1]).toMatchObject({ hint: keys[1].hint, revoked: null, expiresAt: null });
      expect(JSON.stringify(account)).not.toMatch(/hash/i);
    });

    it("answers not found for another org's account and refuses a foreign orgId", async () => {
      await expectReplyError(
        query(Q.getServiceAccount, { id: accounts.Alpha.id }, globex),
        'SERVICE_ACCOUNT.NOT_FOUND',
      );
      await expectReplyError(list({ orgId: 'acme' }, globex), 'AUTH.ORG_MISMATCH');
    });

    it('lets only members and admin service accounts read service accounts', async () => {
      await expect(list({}, memberKey)).resolves.toMatchObject({ items: expect.any(Array) });
      await expectReplyError(list({}, readerKey), 'AUTH.FORBIDDEN');
    });
  });

  describe('keys, members and roles', () => {
    it("lists the caller's personal keys, filtered by status; another member's only for org admins", async () => {
      const own = await query<Page<KeyView>>(Q.listPersonalKeys, {}, memberKey);
      expect(own.items.map((k) => k.owner)).toEqual([
        { kind: 'member', id: 'bob' },
        { kind: 'member', id: 'bob' },
      ]);
      const byAdmin = await query<Page<KeyView>>(
        Q.listPersonalKeys,
        { userId: 'bob', limit: 1 },
        acme,
      );
      expect(byAdmin.items).toHaveLength(1);
      const rest = await query<Page<KeyView>>(
        Q.listPersonalKeys,
        { userId: 'bob', limit: 1, cursor: byAdmin.nextCursor },
        acme,
      );
      expect(rest.items[0].name).toBe('second');
      expect(rest.nextCursor).toBeNull();
      expect(
        (await query<Page<KeyView>>(Q.listPersonalKeys, { status: 'revoked' }, memberKey)).items,
      ).toEqual([]);
      await expectReplyError(
        query(Q.listPersonalKeys, { userId: 'admin' }, memberKey),
        'AUTH.FORBIDDEN',
      );
    });

    it('lists members for org admins only', async () => {
      const page = await query<Page<MemberView>>(Q.listMembers, {}, acme);
      expect(page.items.map((m) => [m.userId, m.orgRole, m.activeKeys])).toEqual([
        ['admin', 'admin', 1],
        ['bob', 'member', 2],
      ]);
      await expectReplyError(query(Q.listMembers, {}, memberKey), 'AUTH.FORBIDDEN');
      expect(
        (await query<Page<MemberView>>(Q.listMembers, { status: 'removed' }, acme)).items,
      ).toEqual([]);
    });

    it('lists built-in roles, then custom roles', async () => {
      const roles = await query<Page<RoleView>>(Q.listRoles, {}, memberKey);
      expect(roles.items.map((r) => [r.name, r.builtIn])).toEqual([
        ['reader', true],
        ['executor', true],
        ['writer', true],
        ['admin', true],
        ['auditor', false],
      ]);
      expect((await query<Page<RoleView>>(Q.listRoles, {}, globex)).items).toHaveLength(4);
    });
  });

  describe('audit log', () => {
    const audit = (body: object, auth = acme) =>
      query<Page<AuditEntryView>>(Q.queryAudit, body, auth);

    it('has one entry per event, newest first, with actor, target, source and correlation id', async () => {
      const page = await audit({ limit: 1000 });
      const times = page.items.map((e) => e.occurredAt);
      expect([...times].sort().reverse()).toEqual(times);
      const bootstrap = page.items.find(
        (e) => e.action === 'organization.created',
      ) as AuditEntryView;
      expect(bootstrap.actor).toEqual({
        kind: 'operator',
        id: null,
        name: 'operator',
        active: null,
      });
      const revoked = page.items.find(
        (e) => e.action === 'key.revoked' && e.details.reason === 'leaked',
      );
      expect(revoked).toMatchObject({
        actor: { kind: 'member', id: 'admin', name: 'Admin', active: true },
        target: {
          kind: 'key',
          id: keys[0].keyId,
          name: 'one',
          owner: { id: accounts.Alpha.id, active: true },
        },
        source: { channel: 'nats' },
        eventType: 'KeyRevoked',
      });
      expect(revoked?.correlationId).toEqual(expect.any(String));
      expect(JSON.stringify(page)).not.toMatch(/keyHash/);
    });

    it('shows a deleted account as inactive now, and a renamed one by its name at that moment', async () => {
      const deleted = await audit({ target: accounts.Beta.id, action: 'service_account.deleted' });
      expect(deleted.items[0].target).toMatchObject({ name: 'Beta', active: false });
      const created = await audit({ target: accounts.gamma.id, action: 'service_account.created' });
      expect(created.items[0].target.name).toBe('gamma');
    });

    it('filters by actor, target (a key matches its owner too), action and time range', async () => {
      const byBob = await audit({ actor: 'bob' });
      expect(byBob.items.map((e) => e.action)).toEqual(['key.issued']);
      const alpha = await audit({ target: accounts.Alpha.id });
      expect(alpha.items.map((e) => e.action)).toEqual(
        expect.arrayContaining(['service_account.created', 'key.issued', 'key.revoked']),
      );
      expect((await audit({ action: 'organization.role_defined' })).items).toHaveLength(1);
      const now = Math.floor(Date.now() / 1000);
      expect((await audit({ from: now + 60 })).items).toEqual([]);
      expect((await audit({ to: 1 })).items).toEqual([]);
      expect((await audit({ from: now - 300, to: now + 60, limit: 1000 })).items.length).toBe(
        (await audit({ limit: 1000 })).items.length,
      );
      expect((await audit({ actor: 'operator' })).items.length).toBeGreaterThanOrEqual(3);
    });

    it('pages newest first through every entry exactly once', async () => {
      const all = (await audit({ limit: 1000 })).items.map((e) => e.id);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<AuditEntryView> = await audit({ limit: 4, ...(cursor ? { cursor } : {}) });
        paged.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all);
    });

    it('refuses non-admins, limits over 1000, unknown actions and unknown fields', async () => {
      await expectReplyError(audit({}, memberKey), 'AUTH.FORBIDDEN');
      await expectReplyError(audit({ limit: 1001 }), 'VALIDATION.FAILED');
      await expectReplyError(audit({ action: 'key.stolen' }), 'VALIDATION.FAILED');
      await expectReplyError(audit({ sneaky: true }), 'VALIDATION.FAILED');
      await expectReplyError(h.client.request(Q.queryAudit, {}), 'AUTH.MISSING_CREDENTIAL');
      await expectReplyError(audit({}, 'Bearer kw_live_nope'), 'AUTH.INVALID_CREDENTIAL');
    });

    it('exports NDJSON pages that together are the query result', async () => {
      const all = (await audit({ limit: 1000 })).items;
      const lines: AuditEntryView[] = [];
      let cursor: string | null = null;
      do {
        const page: AuditExportPage = await query<AuditExportPage>(
          Q.exportAudit,
          { limit: 5, ...(cursor ? { cursor } : {}) },
          acme,
        );
        const parsed = page.ndjson
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as AuditEntryView);
        expect(parsed).toHaveLength(page.count);
        lines.push(...parsed);
        cursor = page.nextCursor;
      } while (cursor);
      expect(lines).toEqual(all);
    });
  });

  describe('request bodies are read as on every subject', () => {
    const raw = async (subject: string, body: string, auth = acme) => {
      const headers = natsHeaders();
      headers.set(HEADERS.authorization, auth);
      const reply = await h.connection.request(subject, new TextEncoder().encode(body), {
        timeout: 5000,
        headers,
      });
      return JSON.parse(new TextDecoder().decode(reply.data)) as Reply<unknown>;
    };
    const codeOf = (reply: Reply<unknown>) => (reply.ok ? 'ok' : reply.error.code);
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);

    it.each([Q.listServiceAccounts, Q.listRoles, Q.queryAudit])(
      'refuses an empty payload on %s as REQUEST.MALFORMED_JSON',
      async (subject) => {
        expect(codeOf(await raw(subject, ''))).toBe('REQUEST.MALFORMED_JSON');
      },
    );

    it.each([Q.listServiceAccounts, Q.queryAudit, Q.exportAudit])(
      'refuses a body nested 5,000 deep on %s as VALIDATION.FAILED',
      async (subject) => {
        const reply = await raw(subject, deep);
        expect(reply).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION.FAILED', fields: [{ field: '(body)' }] },
        });
      },
    );

    it('refuses a prototype key like any unknown field', async () => {
      const reply = await raw(Q.listServiceAccounts, '{"status":"all","__proto__":{"x":1}}');
      expect(reply).toMatchObject({
        ok: false,
        error: {
          code: 'VALIDATION.FAILED',
          fields: [{ field: '__proto__', message: 'property __proto__ should not exist' }],
        },
      });
    });

    it('answers an overlong Authorization as an invalid credential, not a verifier failure', async () => {
      const reply = await raw(Q.listRoles, '{}', `Bearer ${'k'.repeat(5000)}`);
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'AUTH.INVALID_CREDENTIAL', kind: 'unauthenticated' },
      });
    });

    it('answers the health subject with an empty payload', async () => {
      expect(await raw(PROJECTOR_HEALTH_SUBJECT, '')).toMatchObject({
        ok: true,
        data: { service: 'projector' },
      });
    });
  });

  it('projects usage rollups into last used and counts, and refused attempts into the audit log', async () => {
    const rollup: KeyUsageRollup = {
      orgId: 'acme',
      keyId: keys[1].keyId,
      owner: { kind: 'serviceAccount', id: accounts.Alpha.id },
      verifierId: 'node-1',
      windowStart: Date.now() - 60_000,
      windowEnd: Date.now(),
      lastUsedAt: Date.now() - 1_000,
      uses: 7,
      refused: 2,
      refusedByReason: { revoked: 2 },
      lastRefusedAt: Date.now() - 500,
    };
    const js = h.operator.jetstream();
    const codec = JSONCodec<KeyUsageRollup>();
    const { seq } = await js.publish(usageSubject('acme', rollup.keyId), codec.encode(rollup));
    await js.publish(
      usageSubject('acme', rollup.keyId),
      codec.encode({ ...rollup, refused: 0, uses: 3 }),
    );
    for (let i = 0; i < 200; i++) {
      const account = await query<ServiceAccountWithKeysView>(
        Q.getServiceAccount,
        { id: accounts.Alpha.id },
        acme,
      );
      if (account.keys[1].uses === 10) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const account = await query<ServiceAccountWithKeysView>(
      Q.getServiceAccount,
      { id: accounts.Alpha.id },
      acme,
    );
    expect(account.keys[1]).toMatchObject({
      uses: 10,
      refused: 2,
      lastUsed: Math.floor(rollup.lastUsedAt! / 1000),
    });
    const signals = await query<Page<AuditEntryView>>(
      Q.queryAudit,
      { action: 'key.refused_attempts' },
      acme,
    );
    expect(signals.items).toEqual([
      expect.objectContaining({
        id: `us_${seq}`,
        actor: { kind: 'serviceAccount', id: accounts.Alpha.id, name: 'Alpha', active: true },
        details: expect.objectContaining({ refused: 2, refusedByReason: { revoked: 2 } }),
      }),
    ]);
    const elsewhere = await query<Page<AuditEntryView>>(
      Q.queryAudit,
      { action: 'key.refused_attempts' },
      globex,
    );
    expect(elsewhere.items).toEqual([]);
  });

  describe('key usage per day (kw.query.service-account.usage)', () => {
    const DAY_S = 86_400;
    const usage = (body: object, auth = acme) =>
      query<ServiceAccountUsageView>(Q.serviceAccountUsage, body, auth);

    it("answers every key's uses and refusals per UTC day, aligned with days, zeros elsewhere", async () => {
      // After the rollups of the test above: key "two" has 10 uses and 2 refusals today.
      const today = Math.floor(Date.now() / 1000 / DAY_S) * DAY_S;
      const yesterday = today - DAY_S;
      const rollup = (keyId: string, windowEndS: number, uses: number, refused: number) => ({
        orgId: 'acme',
        keyId,
        owner: { kind: 'serviceAccount', id: accounts.Alpha.id },
        verifierId: 'node-2',
        windowStart: windowEndS * 1000 - 60_000,
        windowEnd: windowEndS * 1000,
        lastUsedAt: uses > 0 ? windowEndS * 1000 - 1 : null,
        uses,
        refused,
        refusedByReason: refused > 0 ? { revoked: refused } : {},
        lastRefusedAt: refused > 0 ? windowEndS * 1000 - 1 : null,
      });
      const js = h.operator.jetstream();
      const codec = JSONCodec<object>();
      for (const r of [
        rollup(keys[0].keyId, yesterday + 3_600, 4, 0),
        rollup(keys[1].keyId, yesterday + 7_200, 6, 0),
        rollup(keys[0].keyId, today, 0, 3),
        // Older than the longest series: never shown.
        rollup(keys[1].keyId, today - 200 * DAY_S, 50, 0),
      ]) {
        await js.publish(usageSubject('acme', r.keyId), codec.encode(r));
      }
      const expected: ServiceAccountUsageView = {
        days: [yesterday, today],
        keys: [
          {
            keyId: keys[0].keyId,
            name: 'one',
            hint: keys[0].hint,
            status: 'revoked',
            uses: [4, 0],
            refused: [0, 3],
          },
          {
            keyId: keys[1].keyId,
            name: 'two',
            hint: keys[1].hint,
            status: 'active',
            uses: [6, 10],
            refused: [0, 2],
          },
        ],
      };
      let answer = await usage({ id: accounts.Alpha.id, days: 2 });
      for (let i = 0; i < 200 && JSON.stringify(answer) !== JSON.stringify(expected); i++) {
        await new Promise((r) => setTimeout(r, 20));
        answer = await usage({ id: accounts.Alpha.id, days: 2 });
      }
      expect(answer).toEqual(expected);
      expect(JSON.stringify(answer)).not.toMatch(/hash|secret/i);

      const twoWeeks = await usage({ id: accounts.Alpha.id });
      expect(twoWeeks.days).toHaveLength(14);
      expect(twoWeeks.days[13]).toBe(today);
      expect(twoWeeks.days[0]).toBe(today - 13 * DAY_S);
      expect(twoWeeks.keys[1].uses).toEqual([...Array(12).fill(0), 6, 10]);
      const longest = await usage({ id: accounts.Alpha.id, days: 90 });
      expect(longest.days).toHaveLength(90);
      expect(longest.keys[1].uses.reduce((a, b) => a + b, 0)).toBe(16);
      // A member may read it; a deleted account answers too, with its keys (none here).
      expect(await usage({ id: accounts.Beta.id, days: 1 }, memberKey)).toEqual({
        days: [today],
        keys: [],
      });
    });

    it('is authorized as getting the account: another org is not found, a reader is forbidden', async () => {
      await expectReplyError(usage({ id: accounts.Alpha.id }, globex), 'SERVICE_ACCOUNT.NOT_FOUND');
      await expectReplyError(
        usage({ id: accounts.Alpha.id, orgId: 'acme' }, globex),
        'AUTH.ORG_MISMATCH',
      );
      await expectReplyError(usage({ id: accounts.Alpha.id }, readerKey), 'AUTH.FORBIDDEN');
      await expectReplyError(usage({ id: `sa_${'0'.repeat(32)}` }), 'SERVICE_ACCOUNT.NOT_FOUND');
      await expectReplyError(
        usage({ id: accounts.Alpha.id }, 'Bearer kw_live_nope'),
        'AUTH.INVALID_CREDENTIAL',
      );
    });

    it.each([0, 91, -1, 1.5, 1e308, '14', true])('refuses days of %p', async (days) => {
      const error = await expectReplyError(
        usage({ id: accounts.Alpha.id, days }),
        'VALIDATION.FAILED',
      );
      expect(error.fields?.map((f) => f.field)).toEqual(['days']);
    });

    it('refuses unknown fields and a missing or malformed id', async () => {
      const unknown = await expectReplyError(
        usage({ id: accounts.Alpha.id, from: 0 }),
        'VALIDATION.FAILED',
      );
      expect(unknown.message).toMatch(/from/);
      await expectReplyError(usage({}), 'VALIDATION.FAILED');
      await expectReplyError(usage({ id: 'sa_nope' }), 'VALIDATION.FAILED');
    });
  });

  it("never returns another org's rows (tenant isolation)", async () => {
    const sas = await query<Page<ServiceAccountView>>(
      Q.listServiceAccounts,
      { status: 'all' },
      globex,
    );
    expect(sas.items.map((a) => a.name)).toEqual(['globex-bot']);
    const members = await query<Page<MemberView>>(Q.listMembers, { status: 'all' }, globex);
    expect(members.items.map((m) => m.userId)).toEqual(['admin']);
    const entries = await query<Page<AuditEntryView>>(Q.queryAudit, { limit: 1000 }, globex);
    expect(entries.items.every((e) => e.orgId === 'globex')).toBe(true);
    expect(entries.items.length).toBeGreaterThan(0);
    const foreignTarget = await query<Page<AuditEntryView>>(
      Q.queryAudit,
      { target: accounts.Alpha.id },
      globex,
    );
    expect(foreignTarget.items).toEqual([]);
    const foreignKeys = await query<Page<KeyView>>(Q.listPersonalKeys, { userId: 'bob' }, globex);
    expect(foreignKeys.items).toEqual([]);
  });
});
