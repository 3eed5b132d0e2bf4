import { QUERY_LIMITS } from './query-messages';

/**
 * Bounds of every number and string a request may carry, shared by the request DTOs at the
 * edge, the docs and clients. Each number is a whole number within its range; anything else
 * (1e308, 2^53 + 2, 1.5, -1) is refused with `VALIDATION.FAILED` naming the field. Every upper
 * bound is a safe integer, so an integer JSON cannot represent exactly is always out of range.
 */
export const FIELD_BOUNDS = {
  /** Epoch seconds (`expiresAt`, audit `from` / `to`): 1970-01-01 to 9999-12-31T23:59:59Z. */
  epochSeconds: { min: 0, max: 253_402_300_799 },
  /** An organization's `maxKeyLifetimeSeconds`: one minute to 100 years (of 365 days). */
  maxKeyLifetimeSeconds: { min: 60, max: 3_153_600_000 },
  /** A rotation's `graceSeconds`: 0 (the old key stops at once) to 100 years; capped by policy. */
  rotationGraceSeconds: { min: 0, max: 3_153_600_000 },
  /** An organization's `expiryNoticeSeconds`: 0 (no "expiring soon" notice) to 365 days. */
  expiryNoticeSeconds: { min: 0, max: 31_536_000 },
  /** An organization's `maxActiveKeysPerPrincipal`. */
  maxActiveKeysPerPrincipal: { min: 1, max: 10_000 },
  /** A page's `limit` (see `QUERY_LIMITS`). */
  pageLimit: { min: 1, max: QUERY_LIMITS.maxPageSize },
  /** A key-usage series' `days` (see `QUERY_LIMITS`). */
  usageDays: { min: 1, max: QUERY_LIMITS.maxUsageDays },
} as const;

/** Longest names and descriptions, in UTF-16 code units after NFC normalisation. */
export const TEXT_LIMITS = {
  /** Service account, organization and member display names, key names, a name prefix. */
  name: 100,
  description: 1000,
  /** The audit `actor` / `target` filters. */
  auditFilter: 200,
} as const;
