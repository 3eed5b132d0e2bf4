import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection, type NatsError } from 'nats';
import {
  ALL_COMMAND_SUBJECTS,
  ALL_QUERY_SUBJECTS,
  COMMAND_QUEUE_GROUP,
  COMMAND_SUBJECTS as S,
  DEFAULT_NATS_STREAMS,
  NatsJsonClient,
  NOTIFY_STREAM,
  notifyOrgSubjects,
  notifySubject,
  type Notification,
  VERIFIER_QUEUE_GROUP,
  VERIFIER_SUBJECTS,
  VERIFY_SUBJECTS as V,
  type BootstrapOrganizationReply,
  type IssuedKeyReply,
  type NatsUser,
  type ServiceAccountReply,
  type VerifyReply,
} from '@keyward/messaging';
import { startSystem, type RunningSystem } from '../scripts/lib/system';

/**
 * The bus as `npm run up` runs it (nats-server with the generated authorization, every service
 * its own process and user), probed by a client holding the internal-client credentials: it
 * may call Keyward, and nothing else.
 */
const rootDir = resolve(__dirname, '..');
const { eventStream, eventSubjectPrefix, usageStream, usageSubjectPrefix } = DEFAULT_NATS_STREAMS;

describe('NATS authorization under npm run up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keyward-bus-'));
  let system: RunningSystem;
  let client: NatsConnection;
  let operator: NatsConnection;
  let admin: string;
  let account: ServiceAccountReply;

  const as = (user: NatsUser) => connect({ ...system.natsSettings(user), noAsyncTraces: true });
  const serverLog = () => readFileSync(join(dataDir, 'logs', 'nats-server.log'), 'utf8');
  const storedEvents = async () =>
    (await (await operator.jetstreamManager()).streams.info(eventStream)).state.messages;

  beforeAll(async () => {
    system = await startSystem({ dataDir, rootDir });
    client = await as('internal-client');
    operator = await as('operator');
    const boot = await new NatsJsonClient(client).request<BootstrapOrganizationReply>(
      S.bootstrapOrganization,
      { orgId: 'bus', name: 'Bus', admin: { userId: 'admin', displayName: 'Admin' } },
      { operatorToken: system.operatorToken },
    );
    admin = `Bearer ${boot.key.secret}`;
    account = await new NatsJsonClient(client).request<ServiceAccountReply>(
      S.createServiceAccount,
      { name: 'probe' },
      { authorization: admin },
    );
  }, 60_000);
  afterAll(async () => {
    await client?.drain();
    await operator?.drain();
    await system?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Publishes as `connection` and reports whether the server refused it and logged so. */
  async function publishRefused(connection: NatsConnection, subject: string): Promise<boolean> {
    const refused = nextPermissionError(connection);
    connection.publish(subject, JSON.stringify({ forged: true }));
    await connection.flush();
    const error = await Promise.race([refused, sleep(1000).then(() => undefined)]);
    if (error === undefined) return false;
    const line = `Publish Violation - User "internal-client", Subject "${subject}"`;
    for (let attempt = 0; attempt < 40 && !serverLog().includes(line); attempt++) await sleep(50);
    return serverLog().includes(line);
  }

  async function subscribeRefused(subject: string, queue?: string): Promise<string | undefined> {
    const connection = await as('internal-client');
    try {
      const subscription = connection.subscribe(subject, queue ? { queue } : {});
      const ended = (async () => {
        try {
          for await (const message of subscription) void message;
          return undefined;
        } catch (error) {
          return (error as NatsError).code;
        }
      })();
      await connection.flush();
      return await Promise.race([ended, sleep(1000).then(() => 'still subscribed')]);
    } finally {
      await connection.close();
    }
  }

  it('refuses a connection without credentials', async () => {
    await expect(connect({ servers: system.natsUrl })).rejects.toThrow(/Authorization/i);
  });

  it('lets the internal client call commands, queries and verify', async () => {
    const key = await new NatsJsonClient(client).request<IssuedKeyReply>(
      S.issueServiceAccountKey,
      { id: account.id },
      { authorization: admin },
    );
    const reply = await new NatsJsonClient(client).request<VerifyReply>(V.verify, {
      key: key.secret,
    });
    expect(reply.valid).toBe(true);
  });

  it('cannot forge an event: a publish to the event subjects is refused and nothing is stored', async () => {
    const before = await storedEvents();
    const forged = `${eventSubjectPrefix}.service-account.${account.id}`;
    expect(await publishRefused(client, forged)).toBe(true);
    expect(await storedEvents()).toBe(before);
  });

  it.each([
    [`${usageSubjectPrefix}.bus.key_00000000000000000000000000000000`, 'a usage rollup'],
    [VERIFIER_SUBJECTS.heartbeat, 'a verifier heartbeat'],
    [VERIFIER_SUBJECTS.awaitPosition, 'a propagation question'],
  ])('cannot publish to %s (%s)', async (subject) => {
    expect(await publishRefused(client, subject)).toBe(true);
  });

  it.each([
    `$JS.API.STREAM.INFO.${eventStream}`,
    `$JS.API.STREAM.DELETE.${eventStream}`,
    `$JS.API.STREAM.PURGE.${eventStream}`,
    `$JS.API.CONSUMER.CREATE.${eventStream}`,
    `$JS.API.DIRECT.GET.${eventStream}`,
    `$JS.API.STREAM.CREATE.${usageStream}`,
    `$JS.API.STREAM.DELETE.${usageStream}`,
    '$JS.API.INFO',
  ])('cannot use the JetStream API: %s', async (subject) => {
    const error = await client.request(subject, '{}', { timeout: 2000 }).catch((e: unknown) => e);
    expect((error as NatsError).code).toBe('PERMISSIONS_VIOLATION');
  });

  it.each([
    [V.verify, undefined],
    [V.verify, VERIFIER_QUEUE_GROUP],
    [V.authorize, VERIFIER_QUEUE_GROUP],
    [ALL_COMMAND_SUBJECTS, undefined],
    [S.issueServiceAccountKey, COMMAND_QUEUE_GROUP],
    [ALL_QUERY_SUBJECTS, undefined],
    [`${usageSubjectPrefix}.>`, undefined],
    [`${eventSubjectPrefix}.>`, undefined],
    ['_INBOX_gateway.>', undefined],
    ['_INBOX_command.>', undefined],
    ['>', undefined],
  ])('cannot subscribe to %s (queue %s)', async (subject, queue) => {
    expect(await subscribeRefused(subject, queue)).toBe('PERMISSIONS_VIOLATION');
  });

  it('may replay the notification stream from its start, and only read it', async () => {
    // An ordered consumer over this org's notifications: what a service that was down replays.
    const consumer = await client
      .jetstream()
      .consumers.get(NOTIFY_STREAM, { filterSubjects: notifyOrgSubjects('bus') });
    const heard: string[] = [];
    const deadline = Date.now() + 15_000;
    while (!heard.includes('service_account.created') && Date.now() < deadline) {
      const batch = await consumer.fetch({ max_messages: 50, expires: 1000 });
      for await (const message of batch) heard.push(message.json<Notification>().type);
    }
    // In store order: the org and its admin come first, then the account made in beforeAll.
    expect(heard.slice(0, 2)).toEqual(['organization.created', 'member.added']);
    expect(heard).toContain('service_account.created');
    for (const subject of [
      `$JS.API.STREAM.PURGE.${NOTIFY_STREAM}`,
      `$JS.API.STREAM.DELETE.${NOTIFY_STREAM}`,
      `$JS.API.STREAM.UPDATE.${NOTIFY_STREAM}`,
      `$JS.API.STREAM.MSG.DELETE.${NOTIFY_STREAM}`,
    ]) {
      const error = await client.request(subject, '{}', { timeout: 2000 }).catch((e: unknown) => e);
      expect((error as NatsError).code).toBe('PERMISSIONS_VIOLATION');
    }
  }, 30_000);

  it('cannot publish a notification or send the notifier-only command', async () => {
    expect(await publishRefused(client, notifySubject('bus', 'key.revoked'))).toBe(true);
    expect(await publishRefused(client, S.disableFailingWebhookEndpoint)).toBe(true);
  });

  it('a refusal is not a blind spot of the probe: the operator may do what the client may not', async () => {
    const subscription = operator.subscribe(VERIFIER_SUBJECTS.heartbeat, { max: 1 });
    const beat = (async () => {
      for await (const message of subscription) return message.subject;
    })();
    expect(await Promise.race([beat, sleep(5000).then(() => 'no heartbeat')])).toBe(
      VERIFIER_SUBJECTS.heartbeat,
    );
  });

  it('every service ran with its own user and was never refused', () => {
    const log = serverLog();
    for (const user of ['command', 'projector', 'verifier', 'gateway', 'notifier']) {
      expect(log).not.toContain(`User "${user}"`);
    }
  });
});

function nextPermissionError(connection: NatsConnection): Promise<unknown> {
  return (async () => {
    for await (const status of connection.status()) {
      if (status.type === 'error' && String(status.data).includes('PERMISSIONS_VIOLATION')) {
        return status.data;
      }
    }
    return undefined;
  })();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
