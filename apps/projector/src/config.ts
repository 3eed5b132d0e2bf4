import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import { USAGE_STREAM } from '@keyward/messaging';
import {
  parseEnv,
  SERVICE_ENV,
  serviceConfigOf,
  text,
  wholeNumber,
  type ServiceConfig,
} from '@keyward/transport';

/** Configuration from the environment; the README lists every variable with its default. */
export interface ProjectorConfig extends ServiceConfig {
  usageStream: string;
  databasePath: string;
  /** Signs query cursors; when unset, a random secret kept in the database is used. */
  cursorSecret: string | null;
  batchSize: number;
  verifyTimeoutMs: number;
  /** `KEYWARD_PROJECTOR_VERIFY_HEDGE_MS`: ask `kw.verify` again after this long without an answer. */
  verifyHedgeMs: number;
}

/** The projector's variables, one schema (checked before anything connects). */
const PROJECTOR_ENV = {
  ...SERVICE_ENV,
  KEYWARD_USAGE_STREAM: text(USAGE_STREAM),
  KEYWARD_DATA_DIR: text('.data'),
  KEYWARD_PROJECTOR_DB: text(null),
  KEYWARD_PROJECTOR_CURSOR_SECRET: text(null),
  KEYWARD_PROJECTOR_BATCH_SIZE: wholeNumber(2000, 1, 100_000),
  KEYWARD_PROJECTOR_VERIFY_TIMEOUT_MS: wholeNumber(5000, 100, 120_000),
  KEYWARD_PROJECTOR_VERIFY_HEDGE_MS: wholeNumber(100, 1, 60_000),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  const values = parseEnv(PROJECTOR_ENV, env);
  return {
    ...serviceConfigOf(values, env),
    usageStream: values.KEYWARD_USAGE_STREAM,
    databasePath: values.KEYWARD_PROJECTOR_DB ?? join(values.KEYWARD_DATA_DIR, 'projector.sqlite'),
    cursorSecret: values.KEYWARD_PROJECTOR_CURSOR_SECRET,
    batchSize: values.KEYWARD_PROJECTOR_BATCH_SIZE,
    verifyTimeoutMs: values.KEYWARD_PROJECTOR_VERIFY_TIMEOUT_MS,
    verifyHedgeMs: values.KEYWARD_PROJECTOR_VERIFY_HEDGE_MS,
  };
}

/** The store the deployment chose (EVENT_STORE_URL), on the projector's NATS connection. */
export function openEventStore(
  connection: NatsConnection,
  config: ProjectorConfig,
): Promise<EventStore> {
  return createEventStore({ ...config.eventStore, natsConnection: connection, reader: true });
}
