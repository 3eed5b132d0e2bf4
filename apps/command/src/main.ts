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
  exitOnStartFailure,
  listenOnNats,
  observabilityOf,
  shutdownGracefully,
} from '@keyward/transport';
import { NATS_CONNECTION } from './tokens';

const SERVICE = 'keyward-command';

async function main(): Promise<void> {
  const config = configOrExit(SERVICE, () => loadConfig());
  const app = await createNatsMicroservice(CommandModule, {
    nats: config.nats,
    queue: COMMAND_QUEUE_GROUP,
    name: SERVICE,
    logLevel: config.logLevel,
  });
  const { logger, metrics } = observabilityOf(app);
  const shutdown = shutdownGracefully(app, { graceMs: config.shutdownGraceMs });
  await listenOnNats(app);
  const follower = app.get(StoreFollower);
  const nats = new ConnectionWatch(metrics)
    .watch(app.unwrap<NatsConnection>(), 'requests')
    .watch(app.get<NatsConnection>(NATS_CONNECTION), 'store');
  await shutdown.serveHealth(
    config.healthPort,
    () => nats.connected() && follower.isCaughtUp(),
    metrics,
  );
  logger.info(
    { nats: config.nats.servers, healthPort: config.healthPort },
    `${SERVICE} ready nats=${config.nats.servers.join(',')} pid=${process.pid}`,
  );
}

main().catch(exitOnStartFailure(SERVICE));
