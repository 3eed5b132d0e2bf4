import {
  COMMAND_SUBJECTS as S,
  type IssuedKeyReply,
  type Reply,
  type RotatedKeyReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

/** docs/product-rules.md rule 10 through the real command service over NATS (JetStream). */
describe('key rotation over NATS (JetStream, real nats-server)', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    admin = bearer((await h.bootstrap('rotation-org')).key.secret as string);
  });
  afterAll(() => h.stop());

  const newAccount = (name: string) =>
    h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name },
      { authorization: admin },
    );
  const issue = (id: string, body: object = {}) =>
    h.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id, ...body },
      { authorization: admin },
    );
  const rotate = (
    id: string,
    keyId: string,
    body: object = {},
    options: { authorization?: string; idempotencyKey?: string } = {},
  ) =>
    h.client.request<RotatedKeyReply>(
      S.rotateServiceAccountKey,
      { id, keyId, ...body },
      { authorization: admin, ...options },
    );

  it('issues the successor with its secret once and ends the old key after the grace, in one append', async () => {
    const account = await newAccount('rotate-basic');
    const old = await issue(account.id, { name: 'v1' });
    const before = await h.storedMessages();
    const startedAt = Math.floor(Date.now() / 1000);
    const next = await rotate(account.id, old.keyId, { name: 'v2', graceSeconds: 3600 });
    expect(await h.storedMessages()).toBe(before + 1);
    expect(next.secret).toMatch(/^kw_live_/);
    expect(next.keyId).not.toBe(old.keyId);
    expect(next.expiresAt).toBeNull();
    expect(next.previous.keyId).toBe(old.keyId);
    expect(next.previous.expiresAt).toBeGreaterThanOrEqual(startedAt + 3600);
    expect(next.previous.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    expect(await h.canAuthenticate(old.secret as string)).toBe(true);
    expect(await h.canAuthenticate(next.secret as string)).toBe(true);
  });

  it('defaults the grace to 24 hours, and a grace of 0 ends the old key at once', async () => {
    const account = await newAccount('rotate-default');
    const old = await issue(account.id);
    const startedAt = Math.floor(Date.now() / 1000);
    const next = await rotate(account.id, old.keyId);
    expect(next.previous.expiresAt - startedAt).toBeGreaterThanOrEqual(86_400);
    expect(next.previous.expiresAt - startedAt).toBeLessThanOrEqual(86_401);

    const now = await rotate(account.id, next.keyId, { graceSeconds: 0 });
    expect(await h.canAuthenticate(next.secret as string)).toBe(false);
    expect(await h.canAuthenticate(now.secret as string)).toBe(true);
  });

  it('caps the grace at the organization maximum key lifetime', async () => {
    await h.client.request(
      S.setOrganizationPolicy,
      { maxKeyLifetimeSeconds: 600 },
      { authorization: admin },
    );
    try {
      const account = await newAccount('rotate-capped');
      const old = await issue(account.id);
      const next = await rotate(account.id, old.keyId, { graceSeconds: 86_400 });
      const latest = Math.floor(Date.now() / 1000) + 600;
      expect(next.previous.expiresAt).toBeLessThanOrEqual(latest);
      expect(next.previous.expiresAt).toBeLessThanOrEqual(old.expiresAt as number);
      expect(next.expiresAt).toBeGreaterThan(latest - 10);
    } finally {
      await h.client.request(
        S.setOrganizationPolicy,
        { maxKeyLifetimeSeconds: null },
        { authorization: admin },
      );
    }
  });

  it('refuses a revoked key, a key rotated already, and another account key', async () => {
    const account = await newAccount('rotate-refusals');
    const other = await newAccount('rotate-refusals-other');
    const revoked = await issue(account.id);
    await h.client.request(
      S.revokeServiceAccountKey,
      { id: account.id, keyId: revoked.keyId },
      { authorization: admin },
    );
    await expectReplyError(rotate(account.id, revoked.keyId), 'KEY.REVOKED');
    const live = await issue(account.id);
    await rotate(account.id, live.keyId);
    await expectReplyError(rotate(account.id, live.keyId), 'KEY.ALREADY_ROTATED');
    const theirs = await issue(other.id);
    await expectReplyError(rotate(account.id, theirs.keyId), 'KEY.NOT_FOUND');
  });

  it('is refused to a key that may not manage the account', async () => {
    const account = await newAccount('rotate-forbidden');
    const key = await issue(account.id);
    await expectReplyError(
      rotate(account.id, key.keyId, {}, { authorization: bearer(key.secret as string) }),
      'AUTH.FORBIDDEN',
    );
  });

  it.each([
    ['a negative grace', { graceSeconds: -1 }, 'graceSeconds'],
    ['a fractional grace', { graceSeconds: 1.5 }, 'graceSeconds'],
    ['a grace as a string', { graceSeconds: '60' }, 'graceSeconds'],
    ['a bad key id', { keyId: 'key_../x' }, 'keyId'],
  ])(
    'refuses %s with VALIDATION.FAILED naming the field, appending nothing',
    async (_, body, field) => {
      const account = await newAccount(`rotate-bad-${field}-${Object.values(body)[0]}`);
      const key = await issue(account.id);
      const before = await h.storedMessages();
      const reply: Reply<unknown> = await h.client.reply(
        S.rotateServiceAccountKey,
        { id: account.id, keyId: key.keyId, ...body },
        { authorization: admin },
      );
      expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
      if (!reply.ok) expect(reply.error.fields?.map((f) => f.field)).toEqual([field]);
      expect(await h.storedMessages()).toBe(before);
    },
  );

  it('applies a retried rotation with the same Idempotency-Key once, without the secret', async () => {
    const account = await newAccount('rotate-retry');
    const old = await issue(account.id);
    const first = await rotate(account.id, old.keyId, {}, { idempotencyKey: 'rotate-1' });
    const before = await h.storedMessages();
    const again = await rotate(account.id, old.keyId, {}, { idempotencyKey: 'rotate-1' });
    expect(again).toMatchObject({
      keyId: first.keyId,
      replayed: true,
      previous: first.previous,
    });
    expect(again.secret).toBeUndefined();
    expect(await h.storedMessages()).toBe(before);
  });
});
