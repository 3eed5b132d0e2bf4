import {
  COMMAND_SUBJECTS as S,
  type IssuedKeyReply,
  type Reply,
  type RotatedKeyReply,
} from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

/**
 * docs/product-rules.md rule 10 for personal keys (`kw.cmd.member.rotate-key`) through the real
 * command service over NATS (JetStream): a member's own key, or another member's by an org admin.
 */
describe('personal key rotation over NATS (JetStream, real nats-server)', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    admin = bearer((await h.bootstrap('personal-rotation')).key.secret as string);
  });
  afterAll(() => h.stop());

  const addMember = (userId: string) =>
    h.client.request(
      S.addMember,
      { userId, displayName: userId, grants: [{ resource: 'db:people', role: 'reader' }] },
      { authorization: admin },
    );
  /** A member's key, issued by the admin as it would be for a new member. */
  const issueFor = (userId: string, body: object = {}) =>
    h.client.request<IssuedKeyReply>(
      S.issuePersonalKey,
      { userId, ...body },
      { authorization: admin },
    );
  const rotate = (authorization: string, body: object, options: { idempotencyKey?: string } = {}) =>
    h.client.request<RotatedKeyReply>(S.rotatePersonalKey, body, { authorization, ...options });

  it('rotates the caller’s own key: the successor’s secret once, the old key ends after the grace, in one append', async () => {
    await addMember('ana');
    const old = await issueFor('ana', { name: 'laptop' });
    const ana = bearer(old.secret as string);
    const before = await h.storedMessages();
    const startedAt = Math.floor(Date.now() / 1000);
    const next = await rotate(ana, { keyId: old.keyId, graceSeconds: 3600, name: 'laptop v2' });
    expect(await h.storedMessages()).toBe(before + 1);
    expect(next.secret).toMatch(/^kw_live_/);
    expect(next.keyId).not.toBe(old.keyId);
    expect(next.previous.keyId).toBe(old.keyId);
    expect(next.previous.expiresAt).toBeGreaterThanOrEqual(startedAt + 3600);
    expect(next.previous.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    expect(await h.canAuthenticate(old.secret as string)).toBe(true);
    expect(await h.canAuthenticate(next.secret as string)).toBe(true);

    // The successor is the member's too: it rotates in turn, by default with 24 h of grace.
    const third = await rotate(bearer(next.secret as string), { keyId: next.keyId });
    expect(third.previous.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(86_399);
  });

  it('lets an org admin rotate another member’s key (grace 0 ends it at once); a member may not', async () => {
    await addMember('ben');
    await addMember('cy');
    const bens = await issueFor('ben');
    const cys = await issueFor('cy');
    await expectReplyError(
      rotate(bearer(cys.secret as string), { userId: 'ben', keyId: bens.keyId }),
      'AUTH.FORBIDDEN',
    );
    const next = await rotate(admin, { userId: 'ben', keyId: bens.keyId, graceSeconds: 0 });
    expect(next.previous.keyId).toBe(bens.keyId);
    expect(await h.canAuthenticate(bens.secret as string)).toBe(false);
    expect(await h.canAuthenticate(next.secret as string)).toBe(true);
    await expectReplyError(
      rotate(admin, { userId: 'nobody-here', keyId: bens.keyId }),
      'MEMBER.NOT_FOUND',
    );
  });

  it('refuses a revoked, an expired, an already rotated and another member’s key, and a removed member', async () => {
    await addMember('dee');
    await addMember('eli');
    const live = await issueFor('dee');
    const dee = bearer(live.secret as string);
    const revoked = await issueFor('dee');
    await h.client.request(S.revokePersonalKey, { keyId: revoked.keyId }, { authorization: dee });
    await expectReplyError(rotate(dee, { keyId: revoked.keyId }), 'KEY.REVOKED');

    const expiresAt = Math.floor(Date.now() / 1000) + 1;
    const expiring = await issueFor('dee', { expiresAt });
    while (Date.now() < expiresAt * 1000) await new Promise((r) => setTimeout(r, 50));
    await expectReplyError(rotate(dee, { keyId: expiring.keyId }), 'KEY.EXPIRED');

    const once = await issueFor('dee');
    await rotate(dee, { keyId: once.keyId });
    const error = await expectReplyError(rotate(dee, { keyId: once.keyId }), 'KEY.ALREADY_ROTATED');
    expect(error.message).toContain('successor');

    // Another member's key id, named as the caller's own: not found among the caller's keys.
    const elis = await issueFor('eli');
    await expectReplyError(rotate(dee, { keyId: elis.keyId }), 'KEY.NOT_FOUND');

    await h.client.request(S.removeMember, { userId: 'eli' }, { authorization: admin });
    await expectReplyError(rotate(admin, { userId: 'eli', keyId: elis.keyId }), 'MEMBER.REMOVED');
  });

  it('caps the grace at the organization’s maximum key lifetime', async () => {
    await addMember('fay');
    await h.client.request(
      S.setOrganizationPolicy,
      { maxKeyLifetimeSeconds: 600 },
      { authorization: admin },
    );
    try {
      const old = await issueFor('fay');
      const next = await rotate(admin, { userId: 'fay', keyId: old.keyId, graceSeconds: 86_400 });
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

  let invalid = 0;
  it.each([
    ['a negative grace', { graceSeconds: -1 }, 'graceSeconds'],
    ['a fractional grace', { graceSeconds: 1.5 }, 'graceSeconds'],
    ['a grace as a string', { graceSeconds: '60' }, 'graceSeconds'],
    ['a bad key id', { keyId: 'key_../x' }, 'keyId'],
    ['a bad user id', { userId: 'a b' }, 'userId'],
    ['an unknown field', { id: 'sa_x' }, 'id'],
  ])(
    'refuses %s with VALIDATION.FAILED naming the field, appending nothing',
    async (_, body, field) => {
      const userId = `gus-${(invalid += 1)}`;
      await addMember(userId);
      const key = await issueFor(userId);
      const before = await h.storedMessages();
      const reply: Reply<unknown> = await h.client.reply(
        S.rotatePersonalKey,
        { keyId: key.keyId, ...body },
        { authorization: bearer(key.secret as string) },
      );
      expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
      if (!reply.ok) expect(reply.error.fields?.map((f) => f.field)).toEqual([field]);
      expect(await h.storedMessages()).toBe(before);
    },
  );

  it('applies a retried rotation with the same Idempotency-Key once, without the secret', async () => {
    await addMember('hal');
    const old = await issueFor('hal');
    const first = await rotate(
      admin,
      { userId: 'hal', keyId: old.keyId },
      { idempotencyKey: 'rotate-hal' },
    );
    const before = await h.storedMessages();
    const again = await rotate(
      admin,
      { userId: 'hal', keyId: old.keyId },
      { idempotencyKey: 'rotate-hal' },
    );
    expect(again).toMatchObject({ keyId: first.keyId, replayed: true, previous: first.previous });
    expect(again.secret).toBeUndefined();
    expect(await h.storedMessages()).toBe(before);
  });
});
