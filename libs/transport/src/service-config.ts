import { integerFromEnv } from './env-integer';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './graceful-shutdown';
import { natsSettingsFrom, type NatsConnectionSettings } from './nats-options';

/** Ten minutes: a longer grace is a stuck process, not a slow one. */
const MAX_SHUTDOWN_GRACE_MS = 600_000;

/** What every Keyward service reads from the environment the same way; README lists them. */
export interface ServiceConfig {
  nats: NatsConnectionSettings;
  /** Spread into `createEventStore` together with the service's NATS connection. */
  eventStore: {
    /** `EVENT_STORE_URL`: esdb://… for EventStoreDB; unset for JetStream on the same NATS. */
    eventStoreUrl: string | undefined;
    jetStream: { streamName: string; subjectPrefix: string; replicas: number };
  };
  /** Serves /healthz and /readyz when set (`HEALTH_PORT`). */
  healthPort: number | null;
  /** `SHUTDOWN_GRACE_MS`: after SIGTERM, the time to finish requests in flight and exit. */
  shutdownGraceMs: number;
}

export function serviceConfigFrom(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return {
    nats: natsSettingsFrom(env),
    eventStore: {
      eventStoreUrl: env.EVENT_STORE_URL || undefined,
      jetStream: {
        streamName: env.KEYWARD_JETSTREAM_STREAM ?? 'KEYWARD_EVENTS',
        subjectPrefix: env.KEYWARD_JETSTREAM_SUBJECT_PREFIX ?? 'kw.ev',
        // 1 on a single server; 3 (or 5) on a NATS cluster, so a node can fail.
        replicas: integerFromEnv(env, 'KEYWARD_JETSTREAM_REPLICAS', 1, 1, 5),
      },
    },
    healthPort: env.HEALTH_PORT ? Number(env.HEALTH_PORT) : null,
    shutdownGraceMs: integerFromEnv(
      env,
      'SHUTDOWN_GRACE_MS',
      DEFAULT_SHUTDOWN_GRACE_MS,
      1,
      MAX_SHUTDOWN_GRACE_MS,
    ),
  };
}
