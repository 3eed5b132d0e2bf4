import 'reflect-metadata';
import { PROJECTOR_QUEUE_GROUP } from '@keyward/messaging';
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
import { loadConfig } from './config';
import { ProjectorRuntime } from './projection/projector-runtime';
import { ProjectorModule } from './projector.module';

const SERVICE = 'keyward-projector';

async function main(): Promise<void> {
  const config = configOrExit(SERVICE, () => loadConfig());
  const app = await createNatsMicroservice(ProjectorModule, {
    nats: config.nats,
    queue: PROJECTOR_QUEUE_GROUP,
    name: SERVICE,
    logLevel: config.logLevel,
  });
  const { logger, metrics } = observabilityOf(app);
  const shutdown = shutdownGracefully(app, { graceMs: config.shutdownGraceMs });
  await app.init();
  const runtime = app.get(ProjectorRuntime);
  let ready = false;
  const nats = new ConnectionWatch(metrics).watch(
    app.get<NatsConnection>(NATS_CONNECTION),
    'store',
  );
  await shutdown.serveHealth(config.healthPort, () => ready && nats.connected(), metrics);
  logger.info(
    `${SERVICE} started db=${config.databasePath} from=${runtime.position() ?? 'start'} pid=${process.pid}`,
  );
  // Queries are answered only once every event committed before the start is applied (G3).
  await runtime.whenCaughtUp();
  await listenOnNats(app);
  nats.watch(app.unwrap<NatsConnection>(), 'requests');
  ready = true;
  logger.info(
    `${SERVICE} ready nats=${config.nats.servers.join(',')} position=${runtime.position() ?? 'none'} pid=${process.pid}`,
  );
}

main().catch(exitOnStartFailure(SERVICE));
