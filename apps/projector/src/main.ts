import 'reflect-metadata';
import { PROJECTOR_QUEUE_GROUP } from '@keyward/messaging';
import type { NatsConnection } from 'nats';
import {
  configOrExit,
  ConnectionWatch,
  createNatsMicroservice,
  listenOnNats,
  shutdownGracefully,
} from '@keyward/transport';
import { NATS_CONNECTION } from './tokens';
import { loadConfig } from './config';
import { ProjectorRuntime } from './projection/projector-runtime';
import { ProjectorModule } from './projector.module';

async function main(): Promise<void> {
  const config = configOrExit('keyward-projector', () => loadConfig());
  const app = await createNatsMicroservice(ProjectorModule, {
    nats: config.nats,
    queue: PROJECTOR_QUEUE_GROUP,
    name: 'keyward-projector',
  });
  const shutdown = shutdownGracefully(app, { graceMs: config.shutdownGraceMs });
  await app.init();
  const runtime = app.get(ProjectorRuntime);
  let ready = false;
  const nats = new ConnectionWatch().watch(app.get<NatsConnection>(NATS_CONNECTION));
  await shutdown.serveHealth(config.healthPort, () => ready && nats.connected());
  console.log(
    `keyward-projector started db=${config.databasePath} from=${runtime.position() ?? 'start'} pid=${process.pid}`,
  );
  // Queries are answered only once every event committed before the start is applied (G3).
  await runtime.whenCaughtUp();
  await listenOnNats(app);
  nats.watch(app.unwrap<NatsConnection>());
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
