import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import { NOTIFY_STREAM } from '@keyward/messaging';
import {
  matching,
  parseEnv,
  SERVICE_ENV,
  serviceConfigOf,
  text,
  wholeNumber,
  type ServiceConfig,
} from '@keyward/transport';

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
   * `key.expiring_soon` notice is sent (7 days); deployment-wide for now (docs/notifications.md).
   */
  expiringBeforeSeconds: number;
}

const NOTIFIER_ENV = {
  ...SERVICE_ENV,
  KEYWARD_DATA_DIR: text('.data'),
  KEYWARD_NOTIFIER_DB: text(null),
  KEYWARD_NOTIFY_STREAM: matching(NOTIFY_STREAM, /^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -'),
  KEYWARD_NOTIFY_MAX_AGE_HOURS: wholeNumber(168, 1, 87_600),
  KEYWARD_NOTIFIER_MAX_IN_FLIGHT: wholeNumber(1000, 1, 100_000),
  KEYWARD_NOTIFIER_CHECKPOINT_INTERVAL_MS: wholeNumber(100, 0, 60_000),
  KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS: wholeNumber(604_800, 0, 31_536_000),
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
  };
}

/** The store the deployment chose (EVENT_STORE_URL), read only, on the notifier's connection. */
export function openEventStore(
  connection: NatsConnection,
  config: NotifierConfig,
): Promise<EventStore> {
  return createEventStore({ ...config.eventStore, natsConnection: connection, reader: true });
}
