import {
  COMMAND_SUBJECTS as S,
  type IssuedKeyReply,
  type RevocationReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import { startCommandService, type CommandServiceHarness } from './command-service.harness';
import { bearer, expectReplyError } from './expect-reply-error';

describe('service accounts over NATS (JetStream, real nats-server)', () => {
  let h: CommandServiceHarness;
  let admin: string;

  beforeAll(async () => {
    h = await startCommandService();
    admin = bearer((await h.bootstrap('acme')).key.secret as string);
  });
  afterAll(() => h.stop());

  const create = (auth: string, body: object, idempotencyKey?: string) =>
    h.client.request<ServiceAccountReply>(S.createServiceAccount, body, {
      authorization: auth,
      idempotencyKey,
    });
  const issue = (auth: string, id: string, idempotencyKey?: string) =>
    h.client.request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id },
      { authorization: auth, idempotencyKey },
    );

  it('creates an account with defaults: reader on every resource the creator holds reader on', async () => {
    const account = await create(admin, { name: 'ci-bot' });
    expect(account).toMatchObject({ name: 'ci-bot', role: 'reader', resources: ['*'], keys: [] });
    expect(account.id).toMatch(/^sa_[0-9a-f]{32}$/);
    expect(account.created).toBeGreaterThan(1_600_000_000);
  });

  it('refuses a second active account with the same name, in any case', async () => {
    await create(admin, { name: 'Billing' });
    const error = await expectReplyError(
      create(admin, { name: 'billing' }),
      'SERVICE_ACCOUNT.NAME_TAKEN',
    );
    expect(error.kind).toBe('conflict');
  });

  it('lets only one of two concurrent creates with one name win', async () => {
    const results = await Promise.allSettled([
      create(admin, { name: 'race' }),
      create(admin, { name: 'race' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('frees the name when the account is deleted, and deletion revokes every key', async () => {
    const account = await create(admin, { name: 'short-lived' });
    const keys = [await issue(admin, account.id), await issue(admin, account.id)];
    const deleted = await h.client.request<RevocationReply>(
      S.deleteServiceAccount,
      { id: account.id },
      { authorization: admin },
    );
    expect(deleted.revokedKeyIds.sort()).toEqual(keys.map((k) => k.keyId).sort());
    await expectReplyError(
      h.client.request(
        S.createServiceAccount,
        { name: 'x' },
        { authorization: bearer(keys[0].secret as string) },
      ),
      'AUTH.INVALID_CREDENTIAL',
    );
    await expect(create(admin, { name: 'short-lived' })).resolves.toMatchObject({
      name: 'short-lived',
    });
  });

  it('applies a retried create with the same Idempotency-Key once', async () => {
    const first = await create(admin, { name: 'idem' }, 'create-idem-1');
    const again = await create(admin, { name: 'idem' }, 'create-idem-1');
    expect(again.id).toBe(first.id);
  });

  it('refuses an Idempotency-Key reused for a different request', async () => {
    await create(admin, { name: 'idem-a' }, 'create-idem-2');
    const error = await expectReplyError(
      create(admin, { name: 'idem-b' }, 'create-idem-2'),
      'IDEMPOTENCY.KEY_REUSED',
    );
    expect(error.kind).toBe('conflict');
  });

  it('renames through the name reservation and keeps role and resources immutable', async () => {
    const account = await create(admin, { name: 'old-name', role: 'writer', resources: ['db:a'] });
    const renamed = await h.client.request<ServiceAccountReply>(
      S.updateServiceAccount,
      { id: account.id, name: 'new-name' },
      { authorization: admin },
    );
    expect(renamed).toMatchObject({ name: 'new-name', role: 'writer', resources: ['db:a'] });
    await expect(create(admin, { name: 'old-name' })).resolves.toMatchObject({ name: 'old-name' });
    const error = await expectReplyError(
      h.client.request(
        S.updateServiceAccount,
        { id: account.id, role: 'admin' },
        { authorization: admin },
      ),
      'VALIDATION.FAILED',
    );
    expect(error.fields?.map((f) => f.field)).toContain('role');
  });

  it('lets a service account with an admin role create accounts within its own scope only', async () => {
    const manager = await create(admin, { name: 'manager', role: 'admin', resources: ['db:a'] });
    const managerKey = bearer((await issue(admin, manager.id)).secret as string);
    await expect(create(managerKey, { name: 'child', resources: ['db:a'] })).resolves.toMatchObject(
      {
        resources: ['db:a'],
      },
    );
    const error = await expectReplyError(
      create(managerKey, { name: 'escalate', resources: ['db:a', 'db:b'] }),
      'AUTH.LEAST_PRIVILEGE',
    );
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain('db:b');
  });

  it('refuses a service account without admin to create accounts', async () => {
    const reader = await create(admin, { name: 'plain-reader' });
    const readerKey = bearer((await issue(admin, reader.id)).secret as string);
    await expectReplyError(create(readerKey, { name: 'nope' }), 'AUTH.FORBIDDEN');
  });

  it('accepts Basic credentials only for accounts with enableBasicAuth', async () => {
    const basic = await create(admin, { name: 'basic', role: 'admin', enableBasicAuth: true });
    const plain = await create(admin, { name: 'no-basic', role: 'admin' });
    const basicKey = (await issue(admin, basic.id)).secret as string;
    const plainKey = (await issue(admin, plain.id)).secret as string;
    const basicHeader = (id: string, key: string) =>
      `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`;
    await expect(
      create(basicHeader(basic.id, basicKey), { name: 'via-basic' }),
    ).resolves.toBeDefined();
    await expectReplyError(
      create(basicHeader(plain.id, plainKey), { name: 'x1' }),
      'AUTH.INVALID_CREDENTIAL',
    );
    await expectReplyError(
      create(basicHeader(plain.id, basicKey), { name: 'x2' }),
      'AUTH.INVALID_CREDENTIAL',
    );
  });
});
