import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { connect, type NatsConnection } from 'nats';
import { Counter } from 'prom-client';
import {
  configOrExit,
  ConnectionWatch,
  createServiceLogger,
  createServiceRegistry,
  exitOnStartFailure,
  nestLoggerFor,
  gaugeReadOnScrape,
  listenOnNats,
  stopOnSignal,
} from '@keyward/transport';
import { CheckpointStore } from './checkpoint-store';
import { loadConfig, openEventStore } from './config';
import { ExpiryScheduler } from './expiry-scheduler';
import { NotificationRelay } from './notification-relay';
import { ensureNotifyStream, jetStreamPublisher } from './notify-stream';
import { createWebhookQueries } from './queries/webhook-queries';
import { expiryChangesIn } from './store-changes';
import { createWebhookDelivery } from './webhooks/webhook-delivery';

const SERVICE = 'keyward-notifier';

/**
 * apps/notifier: follows the event store from its checkpoint and publishes one notification per
 * lifecycle event on `kw.notify.<orgId>.<type>` (docs/notifications.md), and delivers them to
 * the organizations' webhook endpoints (docs/webhooks.md). Never told by the command service: it
 * learns of events only from the store (no dual writes).
 */
async function main(): Promise<void> {
  const config = configOrExit(SERVICE, () => loadConfig());
  const logger = createServiceLogger({ service: SERVICE, level: config.logLevel });
  const metrics = createServiceRegistry(SERVICE);
  // Shared code logs through Nest's Logger (e.g. an unknown event type): one JSON line too.
  Logger.overrideLogger(nestLoggerFor(logger));
  const checkpoint = new CheckpointStore(config.databasePath, {
    defaultExpiryLeadMs: config.expiringBeforeSeconds * 1000,
  });
  const connection = await connect({ ...config.nats, name: SERVICE, noAsyncTraces: true });
  const store = await openEventStore(connection, config);
  await ensureNotifyStream(await connection.jetstreamManager(), {
    name: config.notifyStream,
    maxAgeHours: config.notifyMaxAgeHours,
    replicas: config.eventStore.jetStream.replicas,
  });
  const published = new Counter({
    name: 'keyward_notifier_notifications_published_total',
    help: 'Notifications acknowledged by JetStream (a redelivery after a restart counts again)',
    registers: [metrics],
  });
  const publish = jetStreamPublisher(connection.jetstream());
  const expiryNotices = new Counter({
    name: 'keyward_notifier_expiry_notices_total',
    help: 'Expiry notices acknowledged by JetStream, by type (a re-send counts again)',
    labelNames: ['type'],
    registers: [metrics],
  });
  const webhooks = createWebhookDelivery({
    store: checkpoint,
    connection,
    config: config.webhooks,
    operatorToken: config.operatorToken,
    metrics,
    logger,
  });
  const scheduler = new ExpiryScheduler(checkpoint, publish, {
    onSent: (type) => {
      expiryNotices.inc({ type });
      webhooks.dispatcher.wake();
    },
    onError: (error) =>
      logger.error({ err: error }, `expiry notice failed, retrying: ${String(error)}`),
  });
  const relay = new NotificationRelay(store, publish, checkpoint, {
    maxInFlight: config.maxInFlight,
    checkpointIntervalMs: config.checkpointIntervalMs,
    onAdvance: (_position, count) => published.inc(count),
    onCheckpoint: (changes) => {
      scheduler.deadlinesChanged(expiryChangesIn(changes));
      webhooks.dispatcher.changed(changes);
    },
    onError: (error) =>
      logger.error(
        { err: error },
        `publishing failed, resubscribing from the checkpoint: ${String(error)}`,
      ),
  });
  gaugeReadOnScrape({
    name: 'keyward_notifier_checkpoint_position',
    help: 'Store position up to which every notification is acknowledged',
    registry: metrics,
    read: () => Number(relay.position() ?? 0n),
  });
  gaugeReadOnScrape({
    name: 'keyward_notifier_lag',
    help: 'Store head position minus the checkpoint (0: caught up)',
    registry: metrics,
    read: async () => {
      const head = await store.headPosition().catch(() => undefined);
      if (head === undefined) return null;
      return head === null ? 0 : Math.max(0, Number(head - (relay.position() ?? 0n)));
    },
  });
  const queries = await createWebhookQueries({
    service: SERVICE,
    config,
    store: checkpoint,
    connection,
    metrics,
    // Read-your-writes: a query first waits (at most 2 s) for the store's head to be folded.
    syncWithStore: async () => {
      const head = await store.headPosition().catch(() => null);
      if (head !== null) await relay.whenCheckpointed(head, 2_000);
    },
  });
  let serving = false;
  const shutdown = stopOnSignal(
    {
      inFlight: () => webhooks.dispatcher.active,
      // Stop answering and following; what was published is acknowledged and checkpointed
      // first; attempts in flight end (each within its timeout) and are recorded.
      drain: async () => {
        await queries.close();
        await scheduler.stop();
        await relay.stop();
        await webhooks.dispatcher.stop();
      },
      close: async () => {
        webhooks.close();
        await store.close();
        await connection.drain();
        checkpoint.close();
      },
    },
    { graceMs: config.shutdownGraceMs },
  );
  const nats = new ConnectionWatch(metrics).watch(connection);
  await shutdown.serveHealth(
    config.healthPort,
    () => nats.connected() && relay.isCaughtUp && serving,
    metrics,
  );
  logger.info(
    `${SERVICE} started db=${config.databasePath} from=${relay.position() ?? 'start'} pid=${process.pid}`,
  );
  relay.start();
  await relay.whenCaughtUp();
  // Deadlines and endpoints come from the checkpointed events: once caught up, fire what is due
  // and deliver what is queued (no delivery to an endpoint whose disabling is not folded yet).
  scheduler.start();
  webhooks.dispatcher.start();
  await listenOnNats(queries);
  nats.watch(queries.unwrap<NatsConnection>(), 'requests');
  serving = true;
  logger.info(
    `${SERVICE} ready stream=${config.notifyStream} position=${relay.position() ?? 'none'} pid=${process.pid}`,
  );
}

main().catch(exitOnStartFailure(SERVICE));
