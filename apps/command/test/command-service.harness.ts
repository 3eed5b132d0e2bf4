import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestMicroservice } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import {
  COMMAND_QUEUE_GROUP,
  COMMAND_SUBJECTS,
  NatsJsonClient,
  USAGE_STREAM,
  USAGE_SUBJECT_PREFIX,
  type BootstrapOrganizationReply,
} from '@keyward/messaging';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { CommandModule } from '../src/command.module';
import { createNatsMicroservice, listenOnNats, natsSettingsFrom } from '@keyward/transport';

export interface CommandServiceHarness {
  nats: NatsServerHandle;
  /** A caller's connection, as the `internal-client` NATS user. */
  connection: NatsConnection;
  client: NatsJsonClient;
  /** Full access (the `operator` NATS user), for inspecting streams as a maintenance tool. */
  operator: NatsConnection;
  operatorToken: string;
  streamName: string;
  bootstrap(orgId: string): Promise<BootstrapOrganizationReply>;
  /** How many messages (events) the event stream holds: a refusal must not change it. */
  storedMessages(): Promise<number>;
  /**
   * Whether the command service still accepts `secret` as a credential. It authenticates callers
   * from the owner's stream, so a key it refuses is no longer valid there.
   */
  canAuthenticate(secret: string): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * A real nats-server with JetStream and Keyward's generated authorization, and the command
 * service wired to it in this process as the `command` user. `process.env` is left holding
 * the shared settings (URL, stream, operator token) and no NATS user, so other in-process
 * services started later pass their own.
 */
export async function startCommandService(): Promise<CommandServiceHarness> {
  const streamName = `KW_TEST_${randomBytes(4).toString('hex').toUpperCase()}`;
  const subjectPrefix = `kwt.${streamName.toLowerCase()}`;
  const nats = await startNatsServer({
    authorization: {
      eventStream: streamName,
      eventSubjectPrefix: subjectPrefix,
      usageStream: USAGE_STREAM,
      usageSubjectPrefix: USAGE_SUBJECT_PREFIX,
    },
  });
  const operatorToken = randomBytes(16).toString('hex');
  Object.assign(process.env, {
    NATS_URL: nats.url,
    KEYWARD_OPERATOR_TOKEN: operatorToken,
    KEYWARD_JETSTREAM_STREAM: streamName,
    KEYWARD_JETSTREAM_SUBJECT_PREFIX: subjectPrefix,
  });
  const app = await startCommandReplica(nats);
  const connection = await connect(nats.settings('internal-client'));
  const operator = await connect(nats.settings('operator'));
  const client = new NatsJsonClient(connection);
  return {
    nats,
    connection,
    client,
    operator,
    operatorToken,
    streamName,
    bootstrap: (orgId) =>
      client.request<BootstrapOrganizationReply>(
        COMMAND_SUBJECTS.bootstrapOrganization,
        { orgId, name: `Org ${orgId}`, admin: { userId: 'admin', displayName: 'Admin' } },
        { operatorToken },
      ),
    storedMessages: async () =>
      (await (await operator.jetstreamManager()).streams.info(streamName)).state.messages,
    async canAuthenticate(secret) {
      const reply = await client.reply(
        COMMAND_SUBJECTS.revokeAllPersonalKeys,
        { userId: 'nobody-here' },
        { authorization: `Bearer ${secret}` },
      );
      return !(reply.ok === false && reply.error.code.startsWith('AUTH.INVALID'));
    },
    async stop() {
      await connection.drain();
      await operator.drain();
      await app.close();
      const violations = [...nats.violations];
      await nats.stop();
      // The generated permissions must be enough for the services: any refusal is a defect.
      if (violations.length > 0) throw new Error(`NATS refused:\n${violations.join('\n')}`);
    },
  };
}

/** One more command-service replica in this process, as the `command` NATS user. */
export function startCommandReplica(nats: NatsServerHandle): Promise<INestMicroservice> {
  return withEnv(nats.env('command'), async () => {
    const created = await createNatsMicroservice(CommandModule, {
      nats: natsSettingsFrom(process.env),
      queue: COMMAND_QUEUE_GROUP,
      name: 'keyward-command',
      logLevel: 'error',
    });
    await listenOnNats(created);
    return created;
  });
}

/**
 * Runs `start` with `env` added to process.env, then restores it: Nest modules read their
 * configuration from the environment while they start.
 */
export async function withEnv<T>(env: Record<string, string>, start: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await start();
  } finally {
    process.env = saved;
  }
}
