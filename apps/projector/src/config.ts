import { join } from 'node:path';
import type { NatsConnection } from 'nats';
import { createEventStore, type EventStore } from '@keyward/event-store';
import { USAGE_STREAM } from '@keyward/messaging';
import { serviceConfigFrom, type ServiceConfig } from '@keyward/transport';

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  return {
    ...serviceConfigFrom(env),
    usageStream: env.KEYWARD_USAGE_STREAM ?? USAGE_STREAM,
    databasePath:
      env.KEYWARD_PROJECTOR_DB ?? join(env.KEYWARD_DATA_DIR ?? '.data', 'projector.sqlite'),
    cursorSecret: env.KEYWARD_PROJECTOR_CURSOR_SECRET || null,
    batchSize: positive(env.KEYWARD_PROJECTOR_BATCH_SIZE, 2000),
    verifyTimeoutMs: positive(env.KEYWARD_PROJECTOR_VERIFY_TIMEOUT_MS, 5000),
    verifyHedgeMs: positive(env.KEYWARD_PROJECTOR_VERIFY_HEDGE_MS, 100),
  };
}

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** The store the deployment chose (EVENT_STORE_URL), on the projector's NATS connection. */
export function openEventStore(
  connection: NatsConnection,
  config: ProjectorConfig,
): Promise<EventStore> {
  return createEventStore({ ...config.eventStore, natsConnection: connection, reader: true });
}
