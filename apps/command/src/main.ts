import 'reflect-metadata';
import { COMMAND_QUEUE_GROUP } from '@keyward/messaging';
import { CommandModule } from './command.module';
import { StoreFollower } from './store-follower/store-follower';
import { loadConfig } from './config';
import type { NatsConnection } from 'nats';
import {
  configOrExit,
  ConnectionWatch,
  createNatsMicroservice,
  listenOnNats,
  shutdownGracefully,
} from '@keyward/transport';
import { NATS_CONNECTION } from './tokens';

async function main(): Promise<void> {
  const config = configOrExit('keyward-command', () => loadConfig());
  const app = await createNatsMicroservice(CommandModule, {
    nats: config.nats,
    queue: COMMAND_QUEUE_GROUP,
    name: 'keyward-command',
  });
  const shutdown = shutdownGracefully(app, { graceMs: config.shutdownGraceMs });
  await listenOnNats(app);
  const follower = app.get(StoreFollower);
  const nats = new ConnectionWatch()
    .watch(app.unwrap<NatsConnection>())
    .watch(app.get<NatsConnection>(NATS_CONNECTION));
  await shutdown.serveHealth(config.healthPort, () => nats.connected() && follower.isCaughtUp());
  // Process supervisors (npm run up, the e2e tests) wait for this exact line.
  console.log(`keyward-command ready nats=${config.nats.servers.join(',')} pid=${process.pid}`);
}

main().catch((error: unknown) => {
  console.error('keyward-command failed to start:', error);
  process.exit(1);
});
