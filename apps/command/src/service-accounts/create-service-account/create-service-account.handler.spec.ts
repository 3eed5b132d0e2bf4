import { serviceAccountStream, STREAM_PREFIXES } from '@keyward/domain';
import { COMMAND_SUBJECTS } from '@keyward/messaging';
import {
  bearer,
  startInMemoryCommandService,
  type InMemoryCommandService,
} from '../../../test/in-memory-command.harness';
import { CreateServiceAccountHandler } from './create-service-account.handler';
import type { CreateServiceAccountRequestDto } from './create-service-account.request';

/** The handler on the in-memory store, called directly (the NATS transport is not involved). */
describe('CreateServiceAccountHandler on the in-memory store', () => {
  let h: InMemoryCommandService;
  let admin: string;

  beforeEach(async () => {
    h = await startInMemoryCommandService();
    admin = bearer((await h.bootstrap('acme')).key.secret);
  });
  afterEach(() => h.close());

  const create = (
    body: CreateServiceAccountRequestDto,
    authorization = admin,
    idempotencyKey?: string,
  ) =>
    h
      .get(CreateServiceAccountHandler)
      .handle(
        body,
        h.call(COMMAND_SUBJECTS.createServiceAccount, body, { authorization, idempotencyKey }),
      );

  it('creates an account with defaults and appends ServiceAccountCreated to a new stream', async () => {
    const account = await create({ name: 'ci-bot' });
    expect(account).toMatchObject({ name: 'ci-bot', role: 'reader', resources: ['*'], keys: [] });
    expect(account.id).toMatch(/^sa_[0-9a-f]{32}$/);
    const stored = await h.store.readStream(serviceAccountStream(account.id));
    expect(stored.map((event) => [event.type, event.revision])).toEqual([
      ['ServiceAccountCreated', 0n],
    ]);
    expect(stored[0].metadata).toMatchObject({
      orgId: 'acme',
      commandType: 'CreateServiceAccount',
    });
  });

  it('refuses a second account with the same name in another case, and appends no account', async () => {
    await create({ name: 'Billing' });
    await expect(create({ name: 'billing' })).rejects.toMatchObject({
      code: 'SERVICE_ACCOUNT.NAME_TAKEN',
    });
    expect(await accountStreams()).toHaveLength(1);
  });

  it('applies a retried create with the same Idempotency-Key once', async () => {
    const first = await create({ name: 'retried' }, admin, 'create-1');
    const again = await create({ name: 'retried' }, admin, 'create-1');
    expect(again.id).toBe(first.id);
    expect(await accountStreams()).toEqual([serviceAccountStream(first.id)]);
  });

  it('refuses a caller without a valid key before writing anything', async () => {
    const head = await h.store.headPosition();
    await expect(create({ name: 'anon' }, '')).rejects.toMatchObject({
      code: 'AUTH.MISSING_CREDENTIAL',
    });
    await expect(create({ name: 'anon' }, bearer('kw_live_notakey'))).rejects.toMatchObject({
      code: 'AUTH.INVALID_CREDENTIAL',
    });
    expect(await h.store.headPosition()).toBe(head);
  });

  /** The service-account streams in the store, read through a subscription to all events. */
  async function accountStreams(): Promise<string[]> {
    const streams = new Set<string>();
    const subscription = h.store.subscribeToAll({
      from: 'start',
      filter: { streamNamePrefixes: [STREAM_PREFIXES.serviceAccount] },
    });
    for await (const item of subscription) {
      if (item.kind === 'caught-up') await subscription.stop();
      else streams.add(item.event.streamName);
    }
    return [...streams];
  }
});
