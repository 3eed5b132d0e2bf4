import {
  COMMAND_SUBJECTS as S,
  type IssuedKeyReply,
  type MemberReply,
  type RevocationReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

describe('members, roles and least privilege over NATS (JetStream, real nats-server)', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    admin = bearer((await h.bootstrap('people')).key.secret as string);
  });
  afterAll(() => h.stop());

  const addMember = (userId: string, grants: { resource: string; role: string }[]) =>
    h.client.request<MemberReply>(
      S.addMember,
      { userId, displayName: userId, grants },
      { authorization: admin },
    );
  const keyFor = async (userId: string) =>
    bearer(
      (
        await h.client.request<IssuedKeyReply>(
          S.issuePersonalKey,
          { userId },
          { authorization: admin },
        )
      ).secret as string,
    );
  const createAs = (auth: string, body: object) =>
    h.client.request<ServiceAccountReply>(S.createServiceAccount, body, { authorization: auth });

  it('adds a member with grants resolved to permissions, and an admin hands them a key', async () => {
    const member = await addMember('jmo', [
      { resource: 'db:cool', role: 'reader' },
      { resource: 'db:private', role: 'writer' },
    ]);
    expect(member.grants).toEqual([
      { resource: 'db:cool', role: 'reader', permissions: ['read'] },
      {
        resource: 'db:private',
        role: 'writer',
        permissions: ['read', 'execute', 'write', 'delete'],
      },
    ]);
    const jmo = await keyFor('jmo');
    await expect(
      h.client.request(S.issuePersonalKey, {}, { authorization: jmo }),
    ).resolves.toBeDefined();
    await expectReplyError(
      h.client.request(S.issuePersonalKey, { userId: 'admin' }, { authorization: jmo }),
      'AUTH.FORBIDDEN',
    );
  });

  it("refuses a writer account over a database the creator only reads (seed 001's example)", async () => {
    const jmo = await keyFor('jmo');
    const error = await expectReplyError(
      createAs(jmo, { name: 'too-strong', role: 'writer', resources: ['db:cool', 'db:private'] }),
      'AUTH.LEAST_PRIVILEGE',
    );
    expect(error.message).toContain('db:cool');
    expect(error.message).not.toContain('db:private');
    expect(error.details).toMatchObject({ highestGrantableRole: 'reader' });
    await expect(
      createAs(jmo, { name: 'just-right', role: 'writer', resources: ['db:private'] }),
    ).resolves.toMatchObject({ role: 'writer', resources: ['db:private'] });
    await expect(createAs(jmo, { name: 'default-scope' })).resolves.toMatchObject({
      role: 'reader',
      resources: ['db:cool', 'db:private'],
    });
  });

  it('defines a custom role once, uses it for an account, and never redefines it', async () => {
    await h.client.request(
      S.defineRole,
      { name: 'deployer', permissions: ['read', 'execute'] },
      { authorization: admin },
    );
    await expectReplyError(
      h.client.request(
        S.defineRole,
        { name: 'deployer', permissions: ['read'] },
        { authorization: admin },
      ),
      'ROLE.ALREADY_DEFINED',
    );
    await expect(createAs(admin, { name: 'ci-deployer', role: 'deployer' })).resolves.toMatchObject(
      {
        role: 'deployer',
        permissions: ['read', 'execute'],
      },
    );
  });

  it('enforces the allowed-roles policy for new accounts', async () => {
    await h.client.request(
      S.setOrganizationPolicy,
      { allowedServiceAccountRoles: ['reader'] },
      { authorization: admin },
    );
    try {
      await expectReplyError(
        createAs(admin, { name: 'blocked', role: 'writer' }),
        'ROLE.NOT_ALLOWED_FOR_SERVICE_ACCOUNTS',
      );
    } finally {
      await h.client.request(
        S.setOrganizationPolicy,
        { allowedServiceAccountRoles: null },
        { authorization: admin },
      );
    }
  });

  it('changes grants, and only org admins manage members', async () => {
    await addMember('kim', [{ resource: 'db:a', role: 'reader' }]);
    const kim = await keyFor('kim');
    await expectReplyError(
      h.client.request(
        S.addMember,
        { userId: 'x', displayName: 'X', grants: [] },
        { authorization: kim },
      ),
      'AUTH.FORBIDDEN',
    );
    const changed = await h.client.request<MemberReply>(
      S.changeMemberGrants,
      { userId: 'kim', grants: [{ resource: 'db:a', role: 'admin' }] },
      { authorization: admin },
    );
    expect(changed.grants[0].permissions).toContain('admin');
    await expect(createAs(kim, { name: 'kims-admin-bot', role: 'admin' })).resolves.toMatchObject({
      resources: ['db:a'],
    });
  });

  it("revokes a removed member's keys but keeps the service accounts they created", async () => {
    await addMember('leaver', [{ resource: 'db:z', role: 'writer' }]);
    const leaver = await keyFor('leaver');
    const account = await createAs(leaver, { name: 'outlives-its-creator', resources: ['db:z'] });
    const accountKey = await h.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id: account.id },
      { authorization: admin },
    );
    const removal = await h.client.request<RevocationReply>(
      S.removeMember,
      { userId: 'leaver' },
      { authorization: admin },
    );
    expect(removal.revokedKeyIds).toHaveLength(1);
    await expectReplyError(createAs(leaver, { name: 'ghost' }), 'AUTH.INVALID_CREDENTIAL');
    const revoked = await h.client.request<RevocationReply>(
      S.revokeServiceAccountKey,
      { id: account.id, keyId: accountKey.keyId },
      { authorization: admin },
    );
    expect(revoked.revokedKeyIds).toEqual([accountKey.keyId]);
  });
});
