import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NatsConnection } from 'nats';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { PROJECTOR_QUEUE_GROUP } from '@keyward/messaging';
import {
  JsonEnvelopeDeserializer,
  JsonEnvelopeSerializer,
  startHealthServer,
} from '@keyward/transport';
import { loadConfig } from './config';
import { ProjectorRuntime } from './projection/projector-runtime';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(ProjectorModule, {
    transport: Transport.NATS,
    options: {
      ...config.nats,
      queue: PROJECTOR_QUEUE_GROUP,
      name: 'keyward-projector',
      noAsyncTraces: true,
      serializer: new JsonEnvelopeSerializer(),
      deserializer: new JsonEnvelopeDeserializer(),
    },
    logger: ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  await app.init();
  const runtime = app.get(ProjectorRuntime);
  let ready = false;
  if (config.healthPort !== null) {
    await startHealthServer(config.healthPort, { ready: () => ready });
  }
  console.log(
    `keyward-projector started db=${config.databasePath} from=${runtime.position() ?? 'start'} pid=${process.pid}`,
  );
  // Queries are answered only once every event committed before the start is applied (G3).
  await runtime.whenCaughtUp();
  await app.listen();
  // Ready only once the server knows our subscriptions: a request sent right after must find us.
  await app.unwrap<NatsConnection>().flush();
  ready = true;
  // Process supervisors (npm run up, the tests) wait for this exact line.
  console.log(
    `keyward-projector ready nats=${config.nats.servers.join(',')} position=${runtime.position() ?? 'none'} pid=${process.pid}`,
  );
}

main().catch((error: unknown) => {
  console.error('keyward-projector failed to start:', error);
  process.exit(1);
});
