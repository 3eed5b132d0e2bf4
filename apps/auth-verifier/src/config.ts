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

/**
 * A node hosted by another app (`hostedBy`, e.g. `gateway`) is always `<app>-<host>-<pid>-<random>`:
 * `KEYWARD_VERIFIER_ID` names verifier processes only, so a shared environment cannot give two
 * nodes one id.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  hostedBy?: string,
): VerifierConfig {
  const uniqueId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return {
    ...serviceConfigFrom(env),
    verifierId: hostedBy ? `${hostedBy}-${uniqueId}` : env.KEYWARD_VERIFIER_ID || uniqueId,
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
