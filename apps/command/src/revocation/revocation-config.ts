/** G1 settings; README.md lists them with the other variables. */
export interface RevocationConfig {
  /** A verifier silent for this long no longer holds up revocations. */
  verifierLivenessMs: number;
  /** A revocation not confirmed by every live verifier within this fails with 503. */
  propagationTimeoutMs: number;
}

export function revocationConfig(env: NodeJS.ProcessEnv = process.env): RevocationConfig {
  const staleness = number(env.VERIFIER_MAX_STALENESS_MS, 2000);
  const heartbeat = number(env.KEYWARD_VERIFIER_HEARTBEAT_MS, 250);
  const liveness = number(env.KEYWARD_VERIFIER_LIVENESS_MS, staleness + heartbeat + 1000);
  return {
    // Never shorter than the staleness bound plus a heartbeat: see VerifierRoster.
    verifierLivenessMs: Math.max(liveness, staleness + heartbeat),
    propagationTimeoutMs: number(env.KEYWARD_REVOCATION_TIMEOUT_MS, liveness + 3000),
  };
}

function number(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value === undefined || value === '' || !Number.isFinite(parsed) || parsed <= 0
    ? fallback
    : parsed;
}
