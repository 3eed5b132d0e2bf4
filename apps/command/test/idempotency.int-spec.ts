import type { INestMicroservice } from '@nestjs/common';
import {
  COMMAND_SUBJECTS as S,
  type BootstrapOrganizationReply,
  type IssuedKeyReply,
  type RevocationReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import {
  startCommandService,
  startCommandReplica,
  type CommandServiceHarness,
} from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

/** G4: concurrent retries converge on one result; a key names one request, nothing else. */
describe('Idempotency-Key over NATS (real nats-server)', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    admin = bearer((await h.bootstrap('idem-org')).key.secret as string);
  });
  afterAll(() => h.stop());

  const newAccount = (name: string) =>
    h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name },
      { authorization: admin },
    );
  const issue = (id: string, idempotencyKey?: string, body: object = {}, authorization = admin) =>
    h.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id, ...body },
      { authorization, idempotencyKey },
    );
  const revokeAll = (id: string, idempotencyKey?: string, authorization = admin) =>
    h.client.request<RevocationReply>(
      S.revokeAllServiceAccountKeys,
      { id },
      { authorization, idempotencyKey },
    );
  const authenticates = async (secret: string) => {
    const reply = await h.client.reply(
      S.revokeAllPersonalKeys,
      { userId: 'nobody-here' },
      { authorization: bearer(secret) },
    );
    return !(reply.ok === false && reply.error.code.startsWith('AUTH.'));
  };

  /** One key stored, its secret handed out once and working, every other reply a replay. */
  async function expectConverged(accountId: string, replies: IssuedKeyReply[]): Promise<void> {
    const withSecret = replies.filter((reply) => reply.secret !== undefined);
    expect(withSecret).toHaveLength(1);
    const [original] = withSecret;
    const secret = original.secret as string;
    expect(secret.endsWith(original.hint.slice(-4))).toBe(true);
    for (const reply of replies.filter((r) => r !== original)) {
      expect(reply).toEqual({
        keyId: original.keyId,
        created: original.created,
        hint: original.hint,
        expiresAt: original.expiresAt,
        replayed: true,
      });
    }
    expect(await authenticates(secret)).toBe(true);
    // Exactly one KeyIssued reached the store: revoking everything finds that one key.
    expect((await revokeAll(accountId)).revokedKeyIds).toEqual([original.keyId]);
  }

  it('ten concurrent issue-key requests with one key: one key, one secret, nine replays', async () => {
    const account = await newAccount('race-one-replica');
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => issue(account.id, 'race-1')),
    );
    await expectConverged(account.id, replies);
    // A later retry replays the stored key's own hint, never a secret.
    const later = await issue(account.id, 'race-1');
    expect(later.replayed).toBe(true);
    expect(later.secret).toBeUndefined();
  });

  it('concurrent bootstraps with one key make one organization and hand out one admin secret', async () => {
    const replies = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.client.request<BootstrapOrganizationReply>(
          S.bootstrapOrganization,
          { orgId: 'idem-boot', name: 'Boot', admin: { userId: 'root', displayName: 'Root' } },
          { operatorToken: h.operatorToken, idempotencyKey: 'boot-race' },
        ),
      ),
    );
    const withSecret = replies.filter((reply) => reply.key.secret !== undefined);
    expect(withSecret).toHaveLength(1);
    expect(new Set(replies.map((reply) => reply.key.keyId)).size).toBe(1);
    expect(await authenticates(withSecret[0].key.secret as string)).toBe(true);
  });

  describe('with a second command-service replica in the queue group', () => {
    let replica: INestMicroservice;

    beforeAll(async () => {
      replica = await startCommandReplica(h.nats);
    });
    afterAll(() => replica.close());

    it('concurrent retries split between replicas still converge on one key', async () => {
      const account = await newAccount('race-two-replicas');
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => issue(account.id, 'race-2')),
      );
      await expectConverged(account.id, replies);
    });

    it('concurrent creates with one key make one account', async () => {
      const replies = await Promise.all(
        Array.from({ length: 10 }, () =>
          h.client.request<ServiceAccountReply>(
            S.createServiceAccount,
            { name: 'created-once' },
            { authorization: admin, idempotencyKey: 'create-race' },
          ),
        ),
      );
      expect(new Set(replies.map((reply) => reply.id)).size).toBe(1);
      const again = await h.client.reply(
        S.createServiceAccount,
        { name: 'created-once' },
        { authorization: admin },
      );
      expect(again).toMatchObject({ ok: false, error: { code: 'SERVICE_ACCOUNT.NAME_TAKEN' } });
    });

    it('concurrent revoke-all retries revoke once and all report the same keys', async () => {
      const account = await newAccount('revoke-race');
      const keys = [await issue(account.id), await issue(account.id)];
      const replies = await Promise.all(
        Array.from({ length: 10 }, () => revokeAll(account.id, 'revoke-race')),
      );
      const expected = keys.map((key) => key.keyId).sort();
      for (const reply of replies) expect([...reply.revokedKeyIds].sort()).toEqual(expected);
    });
  });

  describe('a key reused for another request is refused, and nothing is applied', () => {
    it('on another subject for the same account', async () => {
      const account = await newAccount('reuse-subject');
      const key = await issue(account.id, 'reuse-subject');
      await expectReplyError(revokeAll(account.id, 'reuse-subject'), 'IDEMPOTENCY.KEY_REUSED');
      expect(await authenticates(key.secret as string)).toBe(true);
    });

    it('on another account', async () => {
      const first = await newAccount('reuse-stream-a');
      const second = await newAccount('reuse-stream-b');
      await issue(first.id, 'reuse-stream');
      const other = await issue(second.id);
      await expectReplyError(revokeAll(second.id, 'reuse-stream'), 'IDEMPOTENCY.KEY_REUSED');
      await expectReplyError(issue(second.id, 'reuse-stream'), 'IDEMPOTENCY.KEY_REUSED');
      expect(await authenticates(other.secret as string)).toBe(true);
    });

    it('with another body', async () => {
      const account = await newAccount('reuse-body');
      await issue(account.id, 'reuse-body', { name: 'one' });
      await expectReplyError(
        issue(account.id, 'reuse-body', { name: 'two' }),
        'IDEMPOTENCY.KEY_REUSED',
      );
    });

    it('by another caller of the same organization', async () => {
      await h.client.request(
        S.addMember,
        {
          userId: 'second-admin',
          displayName: 'Second admin',
          orgRole: 'admin',
          grants: [{ resource: '*', role: 'admin' }],
        },
        { authorization: admin },
      );
      const personal = await h.client.request<IssuedKeyReply>(
        S.issuePersonalKey,
        { userId: 'second-admin' },
        { authorization: admin },
      );
      const account = await newAccount('reuse-caller');
      await issue(account.id, 'reuse-caller');
      await expectReplyError(
        issue(account.id, 'reuse-caller', {}, bearer(personal.secret as string)),
        'IDEMPOTENCY.KEY_REUSED',
      );
    });

    it('but a caller in another organization has keys of its own', async () => {
      const account = await newAccount('reuse-org');
      await issue(account.id, 'shared-name');
      const otherAdmin = bearer((await h.bootstrap('idem-other-org')).key.secret as string);
      const otherAccount = await h.client.request<ServiceAccountReply>(
        S.createServiceAccount,
        { name: 'reuse-org' },
        { authorization: otherAdmin },
      );
      const theirs = await issue(otherAccount.id, 'shared-name', {}, otherAdmin);
      expect(theirs.secret).toBeDefined();
      expect(theirs.replayed).toBeUndefined();
    });

    it('even when both requests arrive at once', async () => {
      const first = await newAccount('reuse-race-a');
      const second = await newAccount('reuse-race-b');
      const standing = await issue(second.id);
      const results = await Promise.allSettled([
        issue(first.id, 'reuse-race'),
        revokeAll(second.id, 'reuse-race'),
      ]);
      const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(refused).toHaveLength(1);
      expect(refused[0].reason.error.code).toBe('IDEMPOTENCY.KEY_REUSED');
      if (results[0].status === 'fulfilled') {
        expect(await authenticates(standing.secret as string)).toBe(true);
      }
    });
  });
});
