import { serviceAccountStream } from '@keyward/domain';
import {
  COMMAND_SUBJECTS,
  type IssuedKeyReply,
  type ServiceAccountReply,
} from '@keyward/messaging';
import {
  bearer,
  startInMemoryCommandService,
  type InMemoryCommandService,
} from '../../../test/in-memory-command.harness';
import { CreateServiceAccountHandler } from '../create-service-account/create-service-account.handler';
import { IssueServiceAccountKeyHandler } from '../issue-service-account-key/issue-service-account-key.handler';
import { RevokeServiceAccountKeyHandler } from './revoke-service-account-key.handler';

/**
 * The handler on the in-memory store, called directly. Revocation propagation (waiting for
 * verifiers over NATS) is the harness's fake, which confirms at once and records the reply.
 */
describe('RevokeServiceAccountKeyHandler on the in-memory store', () => {
  let h: InMemoryCommandService;
  let admin: string;
  let account: ServiceAccountReply;
  let keys: IssuedKeyReply[];

  beforeEach(async () => {
    h = await startInMemoryCommandService();
    admin = bearer((await h.bootstrap('acme')).key.secret);
    const body = { name: 'rotating' };
    account = await h
      .get(CreateServiceAccountHandler)
      .handle(body, h.call(COMMAND_SUBJECTS.createServiceAccount, body, { authorization: admin }));
    keys = [];
    for (let i = 0; i < 2; i++) {
      const issueBody = { id: account.id };
      keys.push(
        await h
          .get(IssueServiceAccountKeyHandler)
          .handle(
            issueBody,
            h.call(COMMAND_SUBJECTS.issueServiceAccountKey, issueBody, { authorization: admin }),
          ),
      );
    }
  });
  afterEach(() => h.close());

  const revoke = (keyId: string, authorization = admin) => {
    const body = { id: account.id, keyId };
    return h
      .get(RevokeServiceAccountKeyHandler)
      .handle(body, h.call(COMMAND_SUBJECTS.revokeServiceAccountKey, body, { authorization }));
  };

  it('appends KeyRevoked and answers with its position once verifiers confirmed it', async () => {
    const reply = await revoke(keys[0].keyId);
    const stored = await h.store.readStream(serviceAccountStream(account.id));
    const revoked = stored.at(-1);
    expect(revoked).toMatchObject({ type: 'KeyRevoked', revision: 3n });
    expect(revoked?.data).toMatchObject({ keyId: keys[0].keyId, reason: 'manual' });
    expect(reply).toEqual({
      revokedKeyIds: [keys[0].keyId],
      position: String(revoked?.position),
    });
    expect(h.confirmedRevocations).toEqual([reply]);
  });

  it('refuses the revoked key at once and still accepts the other', async () => {
    await revoke(keys[0].keyId);
    await expect(revoke(keys[1].keyId, bearer(keys[0].secret))).rejects.toMatchObject({
      code: 'AUTH.INVALID_CREDENTIAL',
    });
    // The other key is still valid: the reader is authenticated, then refused the revocation.
    await expect(revoke(keys[0].keyId, bearer(keys[1].secret))).rejects.toMatchObject({
      code: 'AUTH.FORBIDDEN',
    });
  });

  it('refuses a key id the account does not have, appending nothing', async () => {
    const before = await h.store.headPosition();
    await expect(revoke('key_00000000000000000000000000000000')).rejects.toMatchObject({
      code: 'KEY.NOT_FOUND',
    });
    expect(await h.store.headPosition()).toBe(before);
  });
});
