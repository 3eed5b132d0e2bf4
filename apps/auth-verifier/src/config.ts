import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { serviceConfigFrom, type ServiceConfig } from '@keyward/transport';

/** Configuration from the environment; every variable has a default. */
export interface VerifierConfig extends ServiceConfig {
  verifierId: string;
  /** G2: refuse with `unavailable` once the last proof of being caught up is older than this. */
  maxStalenessMs: number;
  /** How often the node looks up the store's head to prove it is caught up. */
  confirmIntervalMs: number;
  heartbeatIntervalMs: number;
  /** Usage rollups: one message per used key per window. */
  usageFlushMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): VerifierConfig {
  return {
    ...serviceConfigFrom(env),
    verifierId:
      env.KEYWARD_VERIFIER_ID || `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    maxStalenessMs: positive(env.VERIFIER_MAX_STALENESS_MS, 2000),
    confirmIntervalMs: positive(env.KEYWARD_VERIFIER_CONFIRM_MS, 200),
    heartbeatIntervalMs: positive(env.KEYWARD_VERIFIER_HEARTBEAT_MS, 250),
    usageFlushMs: positive(env.KEYWARD_USAGE_FLUSH_MS, 60_000),
  };
}

function positive(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new Error(`expected a positive number of milliseconds, got ${value}`);
  }
  return parsed;
}
