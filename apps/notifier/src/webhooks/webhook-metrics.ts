import { Counter, Histogram, type Registry } from 'prom-client';
import { gaugeReadOnScrape } from '@keyward/transport';
import type { AttemptResult } from './delivery-queue';

/** The webhook metrics (docs/webhooks.md "Metrics"), fed by the dispatcher's callbacks. */
export function webhookMetrics(registry: Registry, pending: () => number) {
  const attempts = new Counter({
    name: 'keyward_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome (delivered: a 2xx answer; failed: anything else)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const firstAttempt = new Histogram({
    name: 'keyward_webhook_delivery_seconds',
    help: "From an event's commit (or an expiry notice coming due) to its delivery's first attempt",
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  gaugeReadOnScrape({
    name: 'keyward_webhook_pending',
    help: 'Webhook deliveries not finished yet (waiting, due, retrying or in flight)',
    registry,
    read: pending,
  });
  return {
    onAttempt: (result: AttemptResult) => attempts.inc({ outcome: result.outcome }),
    onFirstAttempt: (seconds: number) => firstAttempt.observe(Math.max(0, seconds)),
  };
}
