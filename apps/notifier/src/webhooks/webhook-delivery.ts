import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import type { ServiceLogger } from '@keyward/transport';
import { secretBox } from '@keyward/webhooks';
import type { CheckpointStore } from '../checkpoint-store';
import type { WebhookConfig } from '../config';
import { EndpointSecrets } from './endpoint-secrets';
import { natsFailingDisabler } from './failing-endpoint-disabler';
import { WebhookDispatcher } from './webhook-dispatcher';
import { webhookMetrics } from './webhook-metrics';
import { webhookSender } from './webhook-sender';

const DAY_MS = 86_400_000;

/** The webhook dispatcher of a notifier process, wired to its file, NATS, config and metrics. */
export function createWebhookDelivery(options: {
  store: CheckpointStore;
  connection: NatsConnection;
  config: WebhookConfig;
  operatorToken: string | null;
  metrics: Registry;
  logger: ServiceLogger;
}): { dispatcher: WebhookDispatcher; close(): void } {
  const { store, config, logger } = options;
  if (config.secretKey === null) {
    logger.warn('KEYWARD_WEBHOOK_SECRET_KEY is not set: every webhook attempt will fail');
  }
  const sender = webhookSender({ policy: config.policy, timeoutMs: config.timeoutMs });
  const metrics = webhookMetrics(options.metrics, () => store.deliveries.pending());
  const dispatcher = new WebhookDispatcher(
    store.deliveries,
    store.endpoints,
    new EndpointSecrets(config.secretKey === null ? null : secretBox(config.secretKey)),
    sender.send,
    {
      concurrency: config.concurrency,
      retry: {
        baseMs: config.retryBaseMs,
        maxMs: config.retryMaxMs,
        forMs: config.retryForSeconds * 1000,
      },
      disableAfterMs: config.disableAfterSeconds * 1000,
      disable:
        options.operatorToken === null
          ? null
          : natsFailingDisabler(options.connection, options.operatorToken),
      retentionMs: config.logRetentionDays * DAY_MS,
      log: { warn: (message) => logger.warn(message), error: (message) => logger.error(message) },
      onAttempt: metrics.onAttempt,
      onFirstAttempt: metrics.onFirstAttempt,
      onError: (error) =>
        logger.error({ err: error }, `webhook dispatcher failed, retrying: ${String(error)}`),
    },
  );
  return { dispatcher, close: () => sender.close() };
}
