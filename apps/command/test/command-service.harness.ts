import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import {
  COMMAND_QUEUE_GROUP,
  COMMAND_SUBJECTS,
  NatsJsonClient,
  type BootstrapOrganizationReply,
} from '@keyward/messaging';
import { startNatsServer, type NatsServerHandle } from '@keyward/testing';
import { CommandModule } from '../src/command.module';
import { createNatsMicroservice, listenOnNats } from '@keyward/transport';

export interface CommandServiceHarness {
  nats: NatsServerHandle;
  connection: NatsConnection;
  client: NatsJsonClient;
  operatorToken: string;
  streamName: string;
  bootstrap(orgId: string): Promise<BootstrapOrganizationReply>;
  stop(): Promise<void>;
}

/** A real nats-server with JetStream and the command service wired to it, in this process. */
export async function startCommandService(): Promise<CommandServiceHarness> {
  const nats = await startNatsServer();
  const operatorToken = randomBytes(16).toString('hex');
  const streamName = `KW_TEST_${randomBytes(4).toString('hex').toUpperCase()}`;
  Object.assign(process.env, {
    NATS_URL: nats.url,
    KEYWARD_OPERATOR_TOKEN: operatorToken,
    KEYWARD_JETSTREAM_STREAM: streamName,
    KEYWARD_JETSTREAM_SUBJECT_PREFIX: `kwt.${streamName.toLowerCase()}`,
  });
  const app = await createNatsMicroservice(CommandModule, {
    nats: { servers: [nats.url] },
    queue: COMMAND_QUEUE_GROUP,
    logger: ['error'],
  });
  await listenOnNats(app);
  const connection = await connect({ servers: nats.url });
  const client = new NatsJsonClient(connection);
  return {
    nats,
    connection,
    client,
    operatorToken,
    streamName,
    bootstrap: (orgId) =>
      client.request<BootstrapOrganizationReply>(
        COMMAND_SUBJECTS.bootstrapOrganization,
        { orgId, name: `Org ${orgId}`, admin: { userId: 'admin', displayName: 'Admin' } },
        { operatorToken },
      ),
    async stop() {
      await connection.drain();
      await app.close();
      await nats.stop();
    },
  };
}
