import {
  COMMAND_SUBJECTS as S,
  VERIFY_SUBJECTS as V,
  type AuthorizeReply,
  type IssuedKeyReply,
  type ServiceAccountReply,
  type VerifyReply,
} from '@keyward/messaging';
import { generateApiKey } from '@keyward/keys';
import {
  startCommandService,
  type CommandServiceHarness,
} from '../../command/test/command-service.harness';
import { bearer } from '../../command/test/expect-reply-error';
import { startVerifier, type InProcessVerifier } from './verifier.harness';

describe('verify and authorize answered by a verifier node', () => {
  let h: CommandServiceHarness;
  let verifier: InProcessVerifier;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    verifier = await startVerifier();
    admin = bearer((await h.bootstrap('verify-org')).key.secret as string);
  });
  afterAll(async () => {
    await verifier.stop();
    await h.stop();
  });

  const account = (name: string) =>
    h.client.request<ServiceAccountReply>(
      S.createServiceAccount,
      { name, role: 'writer', resources: ['db:a'] },
      { authorization: admin },
    );
  const issue = (id: string) =>
    h.client.request<IssuedKeyReply>(S.issueServiceAccountKey, { id }, { authorization: admin });
  const verify = (authorization: string) =>
    h.client.request<VerifyReply>(V.verify, { authorization });

  it('answers valid with the principal, role, permissions and resources', async () => {
    const sa = await account('verified');
    const key = await issue(sa.id);
    await expect(verify(bearer(key.secret as string))).resolves.toEqual({
      valid: true,
      principal: { kind: 'serviceAccount', id: sa.id },
      orgId: 'verify-org',
      orgAdmin: false,
      role: 'writer',
      permissions: ['read', 'execute', 'write', 'delete'],
      resources: ['db:a'],
      grants: [{ resource: 'db:a', permissions: ['read', 'execute', 'write', 'delete'] }],
      keyId: key.keyId,
      expiresAt: null,
    });
  });

  it('gives each refusal its reason', async () => {
    const sa = await account('refusals');
    const revoked = await issue(sa.id);
    const deleted = await issue(sa.id);
    await h.client.request(
      S.revokeServiceAccountKey,
      { id: sa.id, keyId: revoked.keyId },
      { authorization: admin },
    );
    expect(await verify('Bearer nope')).toEqual({ valid: false, reason: 'malformed' });
    expect(await verify('kw_live_0000000000000000000000000000000000000000000000')).toEqual({
      valid: false,
      reason: 'malformed',
    });
    expect(await verify(bearer(generateApiKey().secret))).toEqual({
      valid: false,
      reason: 'unknown',
    });
    expect(await verify(bearer(revoked.secret as string))).toEqual({
      valid: false,
      reason: 'revoked',
    });
    await h.client.request(S.deleteServiceAccount, { id: sa.id }, { authorization: admin });
    expect(await verify(bearer(deleted.secret as string))).toEqual({
      valid: false,
      reason: 'account_deleted',
    });
  });

  it('authorizes by resource and permission', async () => {
    const key = await issue((await account('authorizer')).id);
    const authorize = (resource: string, permission: string) =>
      h.client.request<AuthorizeReply>(V.authorize, { key: key.secret, resource, permission });
    expect(await authorize('db:a', 'write')).toMatchObject({ valid: true, allowed: true });
    expect(await authorize('db:a', 'admin')).toMatchObject({ valid: true, allowed: false });
    expect(await authorize('db:b', 'read')).toMatchObject({ valid: true, allowed: false });
    const bad = await h.client.reply(V.authorize, {
      key: key.secret,
      resource: 'db a',
      permission: 'fly',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION.FAILED', kind: 'invalid' } });
    expect(bad.ok ? [] : bad.error.fields?.map((f) => f.field)).toEqual(['resource', 'permission']);
  });
});
