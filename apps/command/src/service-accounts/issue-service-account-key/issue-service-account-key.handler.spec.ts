import { hashApiKey } from '@keyward/keys';
import { serviceAccountStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type ServiceAccountReply } from '@keyward/messaging';
import {
  bearer,
  startInMemoryCommandService,
  type InMemoryCommandService,
} from '../../../test/in-memory-command.harness';
import { CreateServiceAccountHandler } from '../create-service-account/create-service-account.handler';
import { IssueServiceAccountKeyHandler } from './issue-service-account-key.handler';

/** The handler on the in-memory store, called directly (the NATS transport is not involved). */
describe('IssueServiceAccountKeyHandler on the in-memory store', () => {
  let h: InMemoryCommandService;
  let admin: string;
  let account: ServiceAccountReply;

  beforeEach(async () => {
    h = await startInMemoryCommandService();
    admin = bearer((await h.bootstrap('acme')).key.secret);
    const body = { name: 'deployer' };
    account = await h
      .get(CreateServiceAccountHandler)
      .handle(body, h.call(COMMAND_SUBJECTS.createServiceAccount, body, { authorization: admin }));
  });
  afterEach(() => h.close());

  const issue = (id: string, idempotencyKey?: string, authorization = admin) => {
    const body = { id, name: 'ci' };
    return h
      .get(IssueServiceAccountKeyHandler)
      .handle(
        body,
        h.call(COMMAND_SUBJECTS.issueServiceAccountKey, body, { authorization, idempotencyKey }),
      );
  };

  it('issues a key whose secret is shown once and only its hash is stored', async () => {
    const key = await issue(account.id);
    expect(key.secret).toMatch(/^kw_live_/);
    const stored = await h.store.readStream(serviceAccountStream(account.id));
    expect(stored.map((event) => [event.type, event.revision])).toEqual([
      ['ServiceAccountCreated', 0n],
      ['KeyIssued', 1n],
    ]);
    expect(stored[1].data).toMatchObject({
      keyId: key.keyId,
      keyHash: hashApiKey(key.secret as string),
    });
    const payloads = stored.map(({ data, metadata }) => JSON.stringify({ data, metadata }));
    expect(payloads.join()).not.toContain(key.secret);
  });

  it('issues a key the service then authenticates', async () => {
    const key = await issue(account.id);
    // A reader may not issue keys: refused as forbidden, so it was authenticated first.
    await expect(issue(account.id, undefined, bearer(key.secret))).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });

  it('applies a retried issue once and never shows the secret again', async () => {
    const first = await issue(account.id, 'issue-1');
    const again = await issue(account.id, 'issue-1');
    expect(again).toMatchObject({ keyId: first.keyId, replayed: true });
    expect(again.secret).toBeUndefined();
    expect(await h.store.readStream(serviceAccountStream(account.id))).toHaveLength(2);
  });

  it('refuses a key for an account that does not exist', async () => {
    await expect(issue('sa_00000000000000000000000000000000')).rejects.toMatchObject({
      code: 'SERVICE_ACCOUNT.NOT_FOUND',
    });
  });
});
