import { DEFAULT_NATS_STREAMS } from '@keyward/messaging';
import { matching, oneOf, parseEnv, port, wholeNumber } from './env-schema';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './graceful-shutdown';
import { natsSettingsFrom, type NatsConnectionSettings } from './nats-options';
import { LOG_LEVELS, type LogLevel } from './observability/service-logger';

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
  /** Serves /healthz, /readyz and /metrics when set (`HEALTH_PORT`). */
  healthPort: number | null;
  /** `LOG_LEVEL`: `info` logs one JSON line per request. */
  logLevel: LogLevel;
  /** `SHUTDOWN_GRACE_MS`: after SIGTERM, the time to finish requests in flight and exit. */
  shutdownGraceMs: number;
}

/** One NATS server: `nats://host:4222`, `tls://user:pass@host`, `host:4222`. */
const SERVER = String.raw`\s*([a-z]+://)?[^\s,/]+\s*`;
/** A JetStream stream or subject token: letters, digits, `_` and `-` (`.` for subjects). */
const NAME = /^[A-Za-z0-9_-]+$/;
const SUBJECT_PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** The variables every Keyward service reads; each service's schema spreads these in. */
export const SERVICE_ENV = {
  NATS_URL: matching(
    'nats://127.0.0.1:4222',
    new RegExp(`^${SERVER}(,${SERVER})*$`),
    'NATS server URLs separated by commas (nats://host:4222,…)',
  ),
  EVENT_STORE_URL: matching(
    undefined,
    /^esdb(\+discover)?:\/\/\S+$/,
    'an EventStoreDB URL (esdb://host:2113?tls=false), or unset for JetStream',
  ),
  KEYWARD_JETSTREAM_STREAM: matching('KEYWARD_EVENTS', NAME, 'letters, digits, _ and -'),
  KEYWARD_JETSTREAM_SUBJECT_PREFIX: matching(
    DEFAULT_NATS_STREAMS.eventSubjectPrefix,
    SUBJECT_PREFIX,
    'dot-separated tokens of letters, digits, _ and -',
  ),
  // 1 on a single server; 3 (or 5) on a NATS cluster, so a node can fail.
  KEYWARD_JETSTREAM_REPLICAS: wholeNumber(1, 1, 5),
  HEALTH_PORT: port(null),
  LOG_LEVEL: oneOf<LogLevel>('info', LOG_LEVELS),
  SHUTDOWN_GRACE_MS: wholeNumber(DEFAULT_SHUTDOWN_GRACE_MS, 1, MAX_SHUTDOWN_GRACE_MS),
};

/**
 * Values the verifiers and the command service must agree on (G1, G2), defined once: the
 * staleness bound after which a verifier refuses, and the heartbeat by which the command
 * service knows which verifiers a revocation waits for.
 */
export const VERIFIER_TIMING_ENV = {
  VERIFIER_MAX_STALENESS_MS: wholeNumber(2000, 100, 600_000),
  KEYWARD_VERIFIER_HEARTBEAT_MS: wholeNumber(250, 10, 60_000),
};

/** The ServiceConfig of an environment parsed with SERVICE_ENV (or a schema spreading it). */
export function serviceConfigOf(
  values: ReturnType<typeof parseServiceEnv>,
  env: NodeJS.ProcessEnv,
): ServiceConfig {
  return {
    nats: natsSettingsFrom({ ...env, NATS_URL: values.NATS_URL }),
    eventStore: {
      eventStoreUrl: values.EVENT_STORE_URL,
      jetStream: {
        streamName: values.KEYWARD_JETSTREAM_STREAM,
        subjectPrefix: values.KEYWARD_JETSTREAM_SUBJECT_PREFIX,
        replicas: values.KEYWARD_JETSTREAM_REPLICAS,
      },
    },
    healthPort: values.HEALTH_PORT,
    logLevel: values.LOG_LEVEL,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
  };
}

function parseServiceEnv(env: NodeJS.ProcessEnv) {
  return parseEnv(SERVICE_ENV, env);
}

export function serviceConfigFrom(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return serviceConfigOf(parseServiceEnv(env), env);
}
