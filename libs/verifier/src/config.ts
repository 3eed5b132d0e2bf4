import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  parseEnv,
  SERVICE_ENV,
  serviceConfigOf,
  text,
  VERIFIER_TIMING_ENV,
  wholeNumber,
  type ServiceConfig,
} from '@keyward/transport';

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

/** A verifier node's variables, one schema (checked before anything connects). */
const VERIFIER_ENV = {
  ...SERVICE_ENV,
  ...VERIFIER_TIMING_ENV,
  KEYWARD_VERIFIER_ID: text(null),
  KEYWARD_VERIFIER_CONFIRM_MS: wholeNumber(200, 10, 60_000),
  KEYWARD_USAGE_FLUSH_MS: wholeNumber(60_000, 10, 3_600_000),
};

/**
 * A node hosted by another app (`hostedBy`, e.g. `gateway`) is always `<app>-<host>-<pid>-<random>`:
 * `KEYWARD_VERIFIER_ID` names verifier processes only, so a shared environment cannot give two
 * nodes one id.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  hostedBy?: string,
): VerifierConfig {
  const values = parseEnv(VERIFIER_ENV, env);
  const uniqueId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  return {
    ...serviceConfigOf(values, env),
    verifierId: hostedBy ? `${hostedBy}-${uniqueId}` : (values.KEYWARD_VERIFIER_ID ?? uniqueId),
    maxStalenessMs: values.VERIFIER_MAX_STALENESS_MS,
    confirmIntervalMs: values.KEYWARD_VERIFIER_CONFIRM_MS,
    heartbeatIntervalMs: values.KEYWARD_VERIFIER_HEARTBEAT_MS,
    usageFlushMs: values.KEYWARD_USAGE_FLUSH_MS,
  };
}
