import {
  natsSettingsFrom,
  parseEnv,
  port,
  SERVICE_ENV,
  text,
  wholeNumber,
  type LogLevel,
  type NatsConnectionSettings,
} from '@keyward/transport';

import { defaultConsoleDir } from './console/console-dir';

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
  /**
   * `KEYWARD_GATEWAY_LEAK_REPORTS_PER_MINUTE`: leak reports (`POST /api/key/v1/leaked`, each up
   * to 1,000 keys) per client IP per minute, in place of the limit above; 0 turns it off. Per
   * replica.
   */
  leakReportsPerMinute: number;
  /** `LOG_LEVEL`: the JSON request log's level (`info` logs one line per request). */
  logLevel: LogLevel;
  /** `KEYWARD_CONSOLE_DIR`: the built web console served at /console/ (default dist/console). */
  consoleDir: string;
}

/** The gateway's variables, one schema (checked before anything connects or listens). */
const GATEWAY_ENV = {
  NATS_URL: SERVICE_ENV.NATS_URL,
  PORT: port(8080),
  KEYWARD_GATEWAY_HOST: text('0.0.0.0'),
  KEYWARD_GATEWAY_TRUST_PROXY: wholeNumber(0, 0, 10),
  KEYWARD_GATEWAY_TIMEOUT_MS: wholeNumber(10_000, 100, 120_000),
  KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE: wholeNumber(6000, 0, 1_000_000),
  KEYWARD_GATEWAY_AUTH_FAILURES_PER_MINUTE: wholeNumber(60, 0, 1_000_000),
  KEYWARD_GATEWAY_LEAK_REPORTS_PER_MINUTE: wholeNumber(30, 0, 1_000_000),
  LOG_LEVEL: SERVICE_ENV.LOG_LEVEL,
  KEYWARD_CONSOLE_DIR: text(''),
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const values = parseEnv(GATEWAY_ENV, env);
  return {
    nats: natsSettingsFrom({ ...env, NATS_URL: values.NATS_URL }),
    port: values.PORT,
    host: values.KEYWARD_GATEWAY_HOST,
    trustProxyHops: values.KEYWARD_GATEWAY_TRUST_PROXY,
    requestTimeoutMs: values.KEYWARD_GATEWAY_TIMEOUT_MS,
    rateLimitPerMinute: values.KEYWARD_GATEWAY_RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: values.KEYWARD_GATEWAY_AUTH_FAILURES_PER_MINUTE,
    leakReportsPerMinute: values.KEYWARD_GATEWAY_LEAK_REPORTS_PER_MINUTE,
    logLevel: values.LOG_LEVEL,
    consoleDir: values.KEYWARD_CONSOLE_DIR || defaultConsoleDir(),
  };
}
