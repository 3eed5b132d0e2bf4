import {
  integerFromEnv as integer,
  natsSettingsFrom,
  type NatsConnectionSettings,
} from '@keyward/transport';

/** Configuration from the environment; README.md lists every variable with its default. */
export interface GatewayConfig {
  nats: NatsConnectionSettings;
  /** `PORT`: the API, the probes and /metrics on one port. */
  port: number;
  /** `KEYWARD_GATEWAY_HOST`. */
  host: string;
  /** `KEYWARD_GATEWAY_TRUST_PROXY`: trust X-Forwarded-For from this many hops (0: none). */
  trustProxyHops: number;
  /** `KEYWARD_GATEWAY_TIMEOUT_MS`: how long a request waits for the service that answers it. */
  requestTimeoutMs: number;
  /**
   * `KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE`: requests per minute per principal (a keyed hash of
   * the Authorization header), or per client IP without one; 0 turns the limit off. Per replica.
   */
  rateLimitPerMinute: number;
  /**
   * `KEYWARD_GATEWAY_AUTH_FAILURES_PER_MINUTE`: 401 answers per client IP per minute before that
   * IP is refused with 429 for the rest of the minute; 0 turns the limit off. Per replica.
   */
  authFailuresPerMinute: number;
  /** `LOG_LEVEL`: the JSON request log's level (`info` logs one line per request). */
  logLevel: LogLevel;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    nats: natsSettingsFrom(env),
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.KEYWARD_GATEWAY_HOST || '0.0.0.0',
    trustProxyHops: integer(env, 'KEYWARD_GATEWAY_TRUST_PROXY', 0, 0, 10),
    requestTimeoutMs: integer(env, 'KEYWARD_GATEWAY_TIMEOUT_MS', 10_000, 100, 120_000),
    rateLimitPerMinute: integer(env, 'KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE', 6000, 0, 1_000_000),
    authFailuresPerMinute: integer(
      env,
      'KEYWARD_GATEWAY_AUTH_FAILURES_PER_MINUTE',
      60,
      0,
      1_000_000,
    ),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
  };
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: T,
  values: readonly T[],
): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) {
    throw new Error(`${name} must be one of ${values.join(', ')}; got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}
