import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { COMMAND_QUEUE_GROUP } from '@keyward/messaging';
import { CommandModule } from './command.module';
import { StoreFollower } from './store-follower/store-follower';
import { loadConfig } from './config';
import {
  JsonEnvelopeDeserializer,
  JsonEnvelopeSerializer,
  startHealthServer,
} from '@keyward/transport';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(CommandModule, {
    transport: Transport.NATS,
    options: {
      ...config.nats,
      queue: COMMAND_QUEUE_GROUP,
      name: 'keyward-command',
      noAsyncTraces: true,
      serializer: new JsonEnvelopeSerializer(),
      deserializer: new JsonEnvelopeDeserializer(),
    },
    logger: ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  await app.listen();
  // Ready only once the server knows our subscriptions: a request sent right after must find us.
  await app.unwrap<NatsConnection>().flush();
  if (config.healthPort !== null) {
    const follower = app.get(StoreFollower);
    await startHealthServer(config.healthPort, { ready: () => follower.isCaughtUp() });
  }
  // Process supervisors (npm run up, the e2e tests) wait for this exact line.
  console.log(`keyward-command ready nats=${config.nats.servers.join(',')} pid=${process.pid}`);
}

main().catch((error: unknown) => {
  console.error('keyward-command failed to start:', error);
  process.exit(1);
});
