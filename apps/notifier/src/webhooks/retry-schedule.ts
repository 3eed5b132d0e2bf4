/** How failed deliveries are retried (docs/webhooks.md "Retries"). */
export interface RetryPolicy {
  /** `KEYWARD_WEBHOOK_RETRY_BASE_MS`: the first retry's delay (before jitter). */
  baseMs: number;
  /** `KEYWARD_WEBHOOK_RETRY_MAX_MS`: the longest delay. */
  maxMs: number;
  /** `KEYWARD_WEBHOOK_RETRY_FOR_SECONDS` in ms: no attempt later than this after the first. */
  forMs: number;
}

/**
 * The delay after the `failed`-th failed attempt: exponential with full jitter, a random point
 * in [d/2, d] where d = min(max, base·2^(failed−1)), so retries of many deliveries that failed
 * together spread out instead of arriving in waves.
 */
export function retryDelay(failed: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failed - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * When to try again after the `failed`-th failed attempt ended at `now`, or null: the next try
 * would fall after the retry window (which starts at the first attempt), so the delivery fails.
 */
export function retryAt(
  failed: number,
  firstAttemptAt: number,
  now: number,
  policy: RetryPolicy,
  random = Math.random,
): number | null {
  const at = now + retryDelay(failed, policy, random);
  return at > firstAttemptAt + policy.forMs ? null : at;
}
