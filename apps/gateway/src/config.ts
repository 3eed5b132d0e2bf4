import { natsSettingsFrom, type NatsConnectionSettings } from '@keyward/transport';

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
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    nats: natsSettingsFrom(env),
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.KEYWARD_GATEWAY_HOST || '0.0.0.0',
    trustProxyHops: integer(env, 'KEYWARD_GATEWAY_TRUST_PROXY', 0, 0, 10),
    requestTimeoutMs: integer(env, 'KEYWARD_GATEWAY_TIMEOUT_MS', 10_000, 100, 120_000),
  };
}

/** A bad value stops the gateway at start with the variable's name, never later. */
function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
