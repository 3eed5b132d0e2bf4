import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import { NOTIFY_STREAM } from '@keyward/messaging';
import {
  matching,
  parseEnv,
  satisfying,
  secretSatisfying,
  SERVICE_ENV,
  serviceConfigOf,
  text,
  wholeNumber,
  type ServiceConfig,
} from '@keyward/transport';
import { parseNetworkPolicy, secretBox, type NetworkPolicy } from '@keyward/webhooks';

/** Configuration from the environment; the README lists every variable with its default. */
export interface NotifierConfig extends ServiceConfig {
  /** `KEYWARD_NOTIFIER_DB`: the SQLite file holding the checkpoint. */
  databasePath: string;
  /** `KEYWARD_NOTIFY_STREAM`: the JetStream stream notifications are published into. */
  notifyStream: string;
  /** `KEYWARD_NOTIFY_MAX_AGE_HOURS`: how long the stream keeps a notification for late readers. */
  notifyMaxAgeHours: number;
  /** `KEYWARD_NOTIFIER_MAX_IN_FLIGHT`: notifications published and not yet acknowledged, at most. */
  maxInFlight: number;
  /** `KEYWARD_NOTIFIER_CHECKPOINT_INTERVAL_MS`: the checkpoint is written at most this often. */
  checkpointIntervalMs: number;
  /**
   * `KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS`: how long before a key's expiry its
   * `key.expiring_soon` notice is sent (7 days) in organizations whose policy sets no
   * `expiryNoticeSeconds` (docs/notifications.md, "Expiry notices").
   */
  expiringBeforeSeconds: number;
  /** `KEYWARD_OPERATOR_TOKEN`: lets the notifier disable an endpoint that keeps failing. */
  operatorToken: string | null;
  /** `KEYWARD_NOTIFIER_VERIFY_TIMEOUT_MS` / `_HEDGE_MS`: webhook queries' `kw.verify` calls. */
  verifyTimeoutMs: number;
  verifyHedgeMs: number;
  /** `KEYWARD_NOTIFIER_CURSOR_SECRET`: signs query cursors; unset: one kept in the file. */
  cursorSecret: string | null;
  webhooks: WebhookConfig;
}

/** Webhook delivery (docs/webhooks.md). */
export interface WebhookConfig {
  /** `KEYWARD_WEBHOOK_SECRET_KEY`: opens the endpoints' sealed signing secrets. */
  secretKey: string | null;
  /** `KEYWARD_WEBHOOK_ALLOWED_NETWORKS`: CIDRs otherwise-refused addresses may be in. */
  policy: NetworkPolicy;
  /** `KEYWARD_WEBHOOK_RETRY_BASE_MS`, `KEYWARD_WEBHOOK_RETRY_MAX_MS`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** `KEYWARD_WEBHOOK_RETRY_FOR_SECONDS`: no retry later than this after the first attempt. */
  retryForSeconds: number;
  /** `KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS`: an endpoint failing this long is disabled. */
  disableAfterSeconds: number;
  timeoutMs: number;
  concurrency: number;
  /** `KEYWARD_WEBHOOK_LOG_RETENTION_DAYS`: finished deliveries older are pruned. */
  logRetentionDays: number;
}

const isSecretKey = (raw: string) => attempt(() => secretBox(raw));
const isNetworkList = (raw: string) => attempt(() => parseNetworkPolicy(raw));

const NOTIFIER_ENV = {
  ...SERVICE_ENV,
  KEYWARD_DATA_DIR: text('.data'),
  KEYWARD_NOTIFIER_DB: text(null),
  KEYWARD_NOTIFY_STREAM: matching(NOTIFY_STREAM, /^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -'),
  KEYWARD_NOTIFY_MAX_AGE_HOURS: wholeNumber(168, 1, 87_600),
  KEYWARD_NOTIFIER_MAX_IN_FLIGHT: wholeNumber(1000, 1, 100_000),
  KEYWARD_NOTIFIER_CHECKPOINT_INTERVAL_MS: wholeNumber(100, 0, 60_000),
  KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS: wholeNumber(604_800, 0, 31_536_000),
  KEYWARD_OPERATOR_TOKEN: text(null),
  KEYWARD_NOTIFIER_VERIFY_TIMEOUT_MS: wholeNumber(5000, 100, 120_000),
  KEYWARD_NOTIFIER_VERIFY_HEDGE_MS: wholeNumber(100, 1, 60_000),
  KEYWARD_NOTIFIER_CURSOR_SECRET: text(null),
  KEYWARD_WEBHOOK_SECRET_KEY: secretSatisfying(
    '',
    isSecretKey,
    '32 bytes in base64 or base64url (e.g. openssl rand -base64 32)',
  ),
  KEYWARD_WEBHOOK_ALLOWED_NETWORKS: satisfying(
    '',
    isNetworkList,
    'comma-separated CIDRs such as 127.0.0.0/8,::1/128',
  ),
  KEYWARD_WEBHOOK_RETRY_BASE_MS: wholeNumber(5_000, 1, 3_600_000),
  KEYWARD_WEBHOOK_RETRY_MAX_MS: wholeNumber(3_600_000, 1, 86_400_000),
  KEYWARD_WEBHOOK_RETRY_FOR_SECONDS: wholeNumber(86_400, 1, 2_592_000),
  KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS: wholeNumber(86_400, 1, 2_592_000),
  KEYWARD_WEBHOOK_TIMEOUT_MS: wholeNumber(10_000, 100, 120_000),
  KEYWARD_WEBHOOK_CONCURRENCY: wholeNumber(32, 1, 1_024),
  KEYWARD_WEBHOOK_LOG_RETENTION_DAYS: wholeNumber(7, 1, 3_650),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): NotifierConfig {
  const values = parseEnv(NOTIFIER_ENV, env);
  return {
    ...serviceConfigOf(values, env),
    databasePath: values.KEYWARD_NOTIFIER_DB ?? join(values.KEYWARD_DATA_DIR, 'notifier.sqlite'),
    notifyStream: values.KEYWARD_NOTIFY_STREAM,
    notifyMaxAgeHours: values.KEYWARD_NOTIFY_MAX_AGE_HOURS,
    maxInFlight: values.KEYWARD_NOTIFIER_MAX_IN_FLIGHT,
    checkpointIntervalMs: values.KEYWARD_NOTIFIER_CHECKPOINT_INTERVAL_MS,
    expiringBeforeSeconds: values.KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS,
    operatorToken: values.KEYWARD_OPERATOR_TOKEN,
    verifyTimeoutMs: values.KEYWARD_NOTIFIER_VERIFY_TIMEOUT_MS,
    verifyHedgeMs: values.KEYWARD_NOTIFIER_VERIFY_HEDGE_MS,
    cursorSecret: values.KEYWARD_NOTIFIER_CURSOR_SECRET,
    webhooks: {
      secretKey:
        values.KEYWARD_WEBHOOK_SECRET_KEY === '' ? null : values.KEYWARD_WEBHOOK_SECRET_KEY,
      policy: parseNetworkPolicy(values.KEYWARD_WEBHOOK_ALLOWED_NETWORKS),
      retryBaseMs: values.KEYWARD_WEBHOOK_RETRY_BASE_MS,
      retryMaxMs: values.KEYWARD_WEBHOOK_RETRY_MAX_MS,
      retryForSeconds: values.KEYWARD_WEBHOOK_RETRY_FOR_SECONDS,
      disableAfterSeconds: values.KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS,
      timeoutMs: values.KEYWARD_WEBHOOK_TIMEOUT_MS,
      concurrency: values.KEYWARD_WEBHOOK_CONCURRENCY,
      logRetentionDays: values.KEYWARD_WEBHOOK_LOG_RETENTION_DAYS,
    },
  };
}

/** The store the deployment chose (EVENT_STORE_URL), read only, on the notifier's connection. */
export function openEventStore(
  connection: NatsConnection,
  config: NotifierConfig,
): Promise<EventStore> {
  return createEventStore({ ...config.eventStore, natsConnection: connection, reader: true });
}

function attempt(build: () => unknown): boolean {
  try {
    build();
    return true;
  } catch {
    return false;
  }
}
