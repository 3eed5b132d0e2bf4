import {
  COMMAND_SUBJECTS as S,
  type IssuedKeyReply,
  type RevocationReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

describe('keys over NATS (JetStream, real nats-server)', () => {
  let h: CommandServiceHarness;
  let admin: string;
  let adminSecret: string;

  beforeAll(async () => {
    h = await startCommandService();
    adminSecret = (await h.bootstrap('keys-org')).key.secret as string;
    admin = bearer(adminSecret);
  });
  afterAll(() => h.stop());

  const newAccount = (name: string) =>
    h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name },
      { authorization: admin },
    );
  const issue = (id: string, body: object = {}, idempotencyKey?: string) =>
    h.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id, ...body },
      { authorization: admin, idempotencyKey },
    );

  it('issues a key in the kw_ format with its secret once, and a hint', async () => {
    const account = await newAccount('format');
    const key = await issue(account.id, { name: 'deploy' });
    expect(key.secret).toMatch(/^kw_live_[0-9A-Za-z]{46}$/);
    expect(key.hint.startsWith('kw_live_')).toBe(true);
    expect(key.keyId).toMatch(/^key_[0-9a-f]{32}$/);
  });

  it('lets exactly one of two concurrent issues win at the key cap', async () => {
    await h.client.request(
      S.setOrganizationPolicy,
      { maxActiveKeysPerPrincipal: 3 },
      { authorization: admin },
    );
    try {
      const account = await newAccount('capped');
      await issue(account.id);
      await issue(account.id);
      const results = await Promise.allSettled([issue(account.id), issue(account.id)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason.error.code).toBe('KEY.LIMIT_REACHED');
    } finally {
      await h.client.request(
        S.setOrganizationPolicy,
        { maxActiveKeysPerPrincipal: 100 },
        { authorization: admin },
      );
    }
  });

  it('applies a retried issue with the same Idempotency-Key once and never shows the secret again', async () => {
    const account = await newAccount('idempotent-issue');
    const first = await issue(account.id, {}, 'issue-1');
    const retry = await issue(account.id, {}, 'issue-1');
    expect(retry).toEqual({
      keyId: first.keyId,
      created: first.created,
      hint: first.hint,
      expiresAt: null,
      replayed: true,
    });
    const revokeAll = await h.client.request<RevocationReply>(
      S.revokeAllServiceAccountKeys,
      { id: account.id },
      { authorization: admin },
    );
    expect(revokeAll.revokedKeyIds).toEqual([first.keyId]);
  });

  it('revokes one key by id and leaves the others working', async () => {
    const account = await newAccount('rotation');
    const oldKey = await issue(account.id);
    const newKey = await issue(account.id);
    const reply = await h.client.request<RevocationReply>(
      S.revokeServiceAccountKey,
      { id: account.id, keyId: oldKey.keyId },
      { authorization: admin },
    );
    expect(reply.revokedKeyIds).toEqual([oldKey.keyId]);
    expect(reply.position).toMatch(/^\d+$/);
    expect(await h.canAuthenticate(oldKey.secret as string)).toBe(false);
    expect(await h.canAuthenticate(newKey.secret as string)).toBe(true);
  });

  it('revokes a key by presenting its value, and refuses strings that are not keys before any lookup', async () => {
    const account = await newAccount('leaky');
    const key = await issue(account.id);
    const reply = await h.client.request<RevocationReply>(
      S.revokeKeyByValue,
      { key: key.secret },
      { authorization: admin },
    );
    expect(reply.revokedKeyIds).toEqual([key.keyId]);
    await expectReplyError(
      h.client.request(S.revokeKeyByValue, { key: 'kw_live_not-a-key' }, { authorization: admin }),
      'KEY.MALFORMED',
    );
  });

  it('rejects an expired key from the first second past its expiry', async () => {
    const account = await newAccount('expiring');
    const expiresAt = Math.floor(Date.now() / 1000) + 2;
    const key = await issue(account.id, { expiresAt });
    expect(key.expiresAt).toBe(expiresAt);
    expect(await h.canAuthenticate(key.secret as string)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, expiresAt * 1000 - Date.now() + 50));
    expect(await h.canAuthenticate(key.secret as string)).toBe(false);
    await expectReplyError(issue(account.id, { expiresAt: 1 }), 'KEY.EXPIRY_IN_PAST');
  });

  it('issues and revokes personal keys', async () => {
    const own = await h.client.request<IssuedKeyReply>(
      S.issuePersonalKey,
      { name: 'laptop' },
      { authorization: admin },
    );
    expect(await h.canAuthenticate(own.secret as string)).toBe(true);
    const revoked = await h.client.request<RevocationReply>(
      S.revokePersonalKey,
      { keyId: own.keyId },
      { authorization: admin },
    );
    expect(revoked.revokedKeyIds).toEqual([own.keyId]);
    expect(await h.canAuthenticate(own.secret as string)).toBe(false);
  });

  it('revokes every personal key of a removed member in the same append', async () => {
    const boot = await h.bootstrap('removal-org');
    const self = bearer(boot.key.secret as string);
    const extra = await h.client.request<IssuedKeyReply>(
      S.issuePersonalKey,
      {},
      { authorization: self },
    );
    const removal = await h.client.request<RevocationReply>(
      S.removeMember,
      { userId: 'admin' },
      { authorization: self },
    );
    expect(removal.revokedKeyIds.sort()).toEqual([boot.key.keyId, extra.keyId].sort());
    expect(await h.canAuthenticate(extra.secret as string)).toBe(false);
  });

  it('never stores a secret: no event in the store contains one', async () => {
    const account = await newAccount('secret-scan');
    const key = await issue(account.id);
    // Read every stored message raw, headers included: what is on disk is what is scanned.
    const jsm = await h.operator.jetstreamManager();
    const { state } = await jsm.streams.info(h.streamName);
    const raw: string[] = [];
    for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(h.streamName, { seq });
      raw.push(new TextDecoder().decode(message.data), String(message.header));
    }
    const all = raw.join('\n');
    expect(all).toContain(key.keyId);
    for (const secret of [key.secret as string, adminSecret]) {
      expect(all).not.toContain(secret);
      expect(all).not.toContain(secret.slice(8, 40));
    }
  });

  it('keeps organizations apart: another org admin cannot see or touch this org', async () => {
    const account = await newAccount('isolated');
    const other = bearer((await h.bootstrap('other-org')).key.secret as string);
    await expectReplyError(
      h.client.request(S.issueServiceAccountKey, { id: account.id }, { authorization: other }),
      'SERVICE_ACCOUNT.NOT_FOUND',
    );
    await expectReplyError(
      h.client.request(S.deleteServiceAccount, { id: account.id }, { authorization: other }),
      'SERVICE_ACCOUNT.NOT_FOUND',
    );
    await expectReplyError(
      h.client.request(
        S.createServiceAccount,
        { name: 'x', orgId: 'keys-org' },
        { authorization: other },
      ),
      'AUTH.ORG_MISMATCH',
    );
  });
});
