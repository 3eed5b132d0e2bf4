import type { INestMicroservice } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { WEBHOOK_QUEUE_GROUP } from '@keyward/messaging';
import { CallerAuthenticator, createNatsMicroservice, CursorCodec } from '@keyward/transport';
import type { CheckpointStore } from '../checkpoint-store';
import type { NotifierConfig } from '../config';
import type { WebhookReads } from './webhook-reads';
import { WebhookQueriesModule } from './webhook-queries.module';

/**
 * The Nest microservice that answers `kw.query.webhook.*` (once `listenOnNats`) in the queue
 * group `WEBHOOK_QUEUE_GROUP`, on its own NATS connection, from the notifier's file; callers are
 * authenticated through `kw.verify` on `connection`.
 */
export async function createWebhookQueries(options: {
  service: string;
  config: NotifierConfig;
  store: CheckpointStore;
  connection: NatsConnection;
  metrics: Registry;
  syncWithStore: WebhookReads['syncWithStore'];
}): Promise<INestMicroservice> {
  const { config, store } = options;
  const module = WebhookQueriesModule.register({
    callers: new CallerAuthenticator(options.connection, config),
    cursors: CursorCodec.fromSecret(config.cursorSecret, (fresh) =>
      store.keep('cursor_secret', fresh),
    ),
    reads: {
      endpoints: store.endpoints,
      deliveryLog: store.deliveryLog,
      syncWithStore: options.syncWithStore,
    },
  });
  const app = await createNatsMicroservice(module, {
    nats: config.nats,
    queue: WEBHOOK_QUEUE_GROUP,
    name: options.service,
    logLevel: config.logLevel,
    metrics: options.metrics,
  });
  return app;
}
