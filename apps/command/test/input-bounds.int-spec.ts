import {
  COMMAND_SUBJECTS as S,
  FIELD_BOUNDS,
  type IssuedKeyReply,
  type OrganizationPolicyReply,
  type Reply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

// A lone surrogate as a request carries it: the JSON escape "\ud800", parsed to one UTF-16 unit.
const LONE_SURROGATE = JSON.parse('"\\ud800"') as string;

describe('names and numbers at the edge: invisible characters and unbounded numbers refused', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    admin = bearer((await h.bootstrap('bounds')).key.secret as string);
  });
  afterAll(() => h.stop());

  const send = <T>(subject: string, body: object, authorization = admin) =>
    h.client.reply<T>(subject, body, { authorization });

  /** The reply must be VALIDATION.FAILED naming `field`, and nothing may have been appended. */
  const expectRefused = async (
    subject: string,
    body: object,
    field: string,
    message?: string,
    options: { authorization?: string; operatorToken?: string } = { authorization: admin },
  ) => {
    const before = await h.storedMessages();
    const reply: Reply<unknown> = await h.client.reply(subject, body, options);
    expect(reply).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED' } });
    if (reply.ok) return;
    expect(reply.error.fields?.map((f) => f.field)).toEqual([field]);
    if (message !== undefined) expect(reply.error.fields?.[0].message).toBe(message);
    expect(await h.storedMessages()).toBe(before);
  };

  describe('names', () => {
    it.each([
      ['NUL', 'ab\u0000c', 'U+0000'],
      ['a newline', 'ab\nc', 'U+000A'],
      ['a right-to-left override', 'ab\u202ec', 'U+202E'],
      ['a zero-width space', 'ab\u200bc', 'U+200B'],
      ['a lone surrogate', `ab${LONE_SURROGATE}c`, 'U+D800'],
      ['a byte order mark', 'ab\ufeffc', 'U+FEFF'],
      ['a line separator', 'ab\u2028c', 'U+2028'],
    ])('create-service-account refuses a name with %s', async (_, name, code) => {
      await expectRefused(
        S.createServiceAccount,
        { name },
        'name',
        `name must not contain control or invisible characters (${code} at position 3)`,
      );
    });

    it('stores a name in NFC, so NFC and NFD twins are one name', async () => {
      const created = await send<ServiceAccountReply>(S.createServiceAccount, {
        name: 'Cre\u0300me',
      });
      expect(created).toMatchObject({ ok: true, data: { name: 'Cr\u00e8me' } });

      await h.client.request(
        S.createServiceAccount,
        { name: 'Caf\u00e9' },
        { authorization: admin },
      );
      const before = await h.storedMessages();
      await expectReplyError(
        h.client.request(S.createServiceAccount, { name: 'Cafe\u0301' }, { authorization: admin }),
        'SERVICE_ACCOUNT.NAME_TAKEN',
      );
      expect(await h.storedMessages()).toBe(before);
    });

    it('update-service-account stores the NFC form and refuses invisible characters', async () => {
      const account = await h.client.request<ServiceAccountReply>(
        S.createServiceAccount,
        { name: 'to-rename' },
        { authorization: admin },
      );
      const renamed = await send<ServiceAccountReply>(S.updateServiceAccount, {
        id: account.id,
        name: 'A\u030angstr\u00f6m',
      });
      expect(renamed).toMatchObject({ ok: true, data: { name: '\u00c5ngstr\u00f6m' } });
      await expectRefused(S.updateServiceAccount, { id: account.id, name: 'x\u2066y' }, 'name');
      await expectRefused(
        S.updateServiceAccount,
        { id: account.id, description: 'x\ufeffy' },
        'description',
      );
    });

    it('accepts newlines and tabs in a description, and accents, emoji and CJK in names', async () => {
      const description = 'Deploys the API.\n\tOwner: platform team.';
      const created = await send<ServiceAccountReply>(S.createServiceAccount, {
        name: 'déploiement 🚀 部署',
        description,
      });
      expect(created).toMatchObject({
        ok: true,
        data: { name: 'déploiement 🚀 部署', description },
      });
    });

    it('refuses a description with a control other than newline or tab', async () => {
      await expectRefused(
        S.createServiceAccount,
        { name: 'described', description: 'one\u001b[31mred' },
        'description',
        'description must not contain control or invisible characters (U+001B at position 4)',
      );
    });

    it('refuses a member display name with ESC', async () => {
      await expectRefused(
        S.addMember,
        { userId: 'esc', displayName: 'Eve\u001b[2J', grants: [] },
        'displayName',
        'displayName must not contain control or invisible characters (U+001B at position 4)',
      );
    });

    it('refuses a personal key name with a bidi override, and a key name with a newline', async () => {
      await expectRefused(S.issuePersonalKey, { name: 'laptop\u202etxt.exe' }, 'name');
      const account = await h.client.request<ServiceAccountReply>(
        S.createServiceAccount,
        { name: 'key-names' },
        { authorization: admin },
      );
      await expectRefused(S.issueServiceAccountKey, { id: account.id, name: 'ci\nprod' }, 'name');
      const issued = await send<IssuedKeyReply>(S.issueServiceAccountKey, {
        id: account.id,
        name: 'ci',
        description: 'first line\nsecond line',
      });
      expect(issued.ok).toBe(true);
    });

    it('refuses an organization name or admin display name with invisible characters', async () => {
      const admin = { userId: 'root', displayName: 'Root' };
      const asOperator = { operatorToken: h.operatorToken };
      await expectRefused(
        S.bootstrapOrganization,
        { orgId: 'bidi', name: 'Acme\u202e', admin },
        'name',
        undefined,
        asOperator,
      );
      await expectRefused(
        S.bootstrapOrganization,
        { orgId: 'bidi', name: 'Acme', admin: { ...admin, displayName: 'Ro\u200dot' } },
        'admin.displayName',
        undefined,
        asOperator,
      );
    });
  });

  describe('numbers', () => {
    const { maxKeyLifetimeSeconds, maxActiveKeysPerPrincipal, epochSeconds, expiryNoticeSeconds } =
      FIELD_BOUNDS;

    it.each([1e308, 2 ** 53 + 2, maxKeyLifetimeSeconds.max + 1, 59, 1.5, -1])(
      'set-organization-policy refuses maxKeyLifetimeSeconds %d',
      async (value) => {
        await expectRefused(
          S.setOrganizationPolicy,
          { maxKeyLifetimeSeconds: value },
          'maxKeyLifetimeSeconds',
          'maxKeyLifetimeSeconds must be a whole number from 60 to 3153600000',
        );
      },
    );

    it.each([1e308, 2 ** 53 + 2, maxActiveKeysPerPrincipal.max + 1, 0, 2.5])(
      'set-organization-policy refuses maxActiveKeysPerPrincipal %d',
      async (value) => {
        await expectRefused(
          S.setOrganizationPolicy,
          { maxActiveKeysPerPrincipal: value },
          'maxActiveKeysPerPrincipal',
        );
      },
    );

    it('set-organization-policy accepts the bounds, and null clears the lifetime', async () => {
      const max = await send<OrganizationPolicyReply>(S.setOrganizationPolicy, {
        maxKeyLifetimeSeconds: maxKeyLifetimeSeconds.max,
        maxActiveKeysPerPrincipal: maxActiveKeysPerPrincipal.max,
      });
      expect(max).toMatchObject({
        ok: true,
        data: {
          maxKeyLifetimeSeconds: maxKeyLifetimeSeconds.max,
          maxActiveKeysPerPrincipal: maxActiveKeysPerPrincipal.max,
        },
      });
      const cleared = await send<OrganizationPolicyReply>(S.setOrganizationPolicy, {
        maxKeyLifetimeSeconds: null,
      });
      expect(cleared).toMatchObject({ ok: true, data: { maxKeyLifetimeSeconds: null } });
    });

    it.each([1e308, 2 ** 53 + 2, expiryNoticeSeconds.max + 1, -1, 1.5])(
      'set-organization-policy refuses expiryNoticeSeconds %d',
      async (value) => {
        await expectRefused(
          S.setOrganizationPolicy,
          { expiryNoticeSeconds: value },
          'expiryNoticeSeconds',
          'expiryNoticeSeconds must be a whole number from 0 to 31536000',
        );
      },
    );

    it('set-organization-policy takes an expiry notice of 0 to 365 days; omitted keeps it, null resets it', async () => {
      for (const seconds of [expiryNoticeSeconds.max, expiryNoticeSeconds.min]) {
        const set = await send<OrganizationPolicyReply>(S.setOrganizationPolicy, {
          expiryNoticeSeconds: seconds,
        });
        expect(set).toMatchObject({ ok: true, data: { expiryNoticeSeconds: seconds } });
      }
      const kept = await send<OrganizationPolicyReply>(S.setOrganizationPolicy, {
        maxActiveKeysPerPrincipal: 42,
      });
      expect(kept).toMatchObject({
        ok: true,
        data: { maxActiveKeysPerPrincipal: 42, expiryNoticeSeconds: 0 },
      });
      const reset = await send<OrganizationPolicyReply>(S.setOrganizationPolicy, {
        expiryNoticeSeconds: null,
        maxActiveKeysPerPrincipal: maxActiveKeysPerPrincipal.max,
      });
      expect(reset).toMatchObject({ ok: true, data: { expiryNoticeSeconds: null } });
    });

    it.each([1e308, 2 ** 53 + 2, epochSeconds.max + 1, -1, 1.5])(
      'issue-key refuses expiresAt %d',
      async (expiresAt) => {
        const account = await h.client.request<ServiceAccountReply>(
          S.createServiceAccount,
          { name: `expiry ${String(expiresAt)}` },
          { authorization: admin },
        );
        await expectRefused(S.issueServiceAccountKey, { id: account.id, expiresAt }, 'expiresAt');
        await expectRefused(S.issuePersonalKey, { expiresAt }, 'expiresAt');
      },
    );

    it('issue-key accepts an expiry at the last second of year 9999', async () => {
      const issued = await send<IssuedKeyReply>(S.issuePersonalKey, {
        expiresAt: epochSeconds.max,
      });
      expect(issued).toMatchObject({ ok: true, data: { expiresAt: epochSeconds.max } });
    });
  });
});
