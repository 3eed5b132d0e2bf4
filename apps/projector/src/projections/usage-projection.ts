import type { KeyUsageRollup } from '@keyward/messaging';
import { json } from './projection';
import type { AuditRow, ReadModelStatements } from './read-model-statements';

const DAY_MS = 86_400_000;

/**
 * The UTC day a rollup's counts are put on, as the epoch seconds of its midnight, or null when
 * its time is not a plausible epoch-ms value (then it adds to the totals only).
 *
 * The day of `windowEnd`, not of `lastUsedAt`: `windowEnd` is always set, while `lastUsedAt` is
 * null for a rollup of refused attempts only, so one rule puts a rollup's uses and refusals on
 * one day. Both come from the rollup itself, so a rebuild puts every rollup on the same day.
 * The cost: counts from the last flush window before midnight (KEYWARD_USAGE_FLUSH_MS, a minute
 * by default; longer when a failed publish kept them for the next window) land on the next day.
 */
export function usageDayOf(rollup: KeyUsageRollup): number | null {
  const end = rollup.windowEnd;
  if (!Number.isSafeInteger(end) || end < 0) return null;
  return (Math.floor(end / DAY_MS) * DAY_MS) / 1000;
}

/**
 * Usage rollups add to a key's counts (sums and maxima, so the order in which they meet the
 * key's own events does not matter) and to its counts of the rollup's UTC day, and a rollup
 * with refused attempts is a security signal in the audit log. Its entry's seq is the rollup's
 * negated stream sequence, so event entries and usage entries never collide and a rebuild
 * gives them the same ids.
 */
export function applyUsageRollup(
  sql: ReadModelStatements,
  sequence: number,
  rollup: KeyUsageRollup,
): void {
  sql.addUsage.run({
    keyId: rollup.keyId,
    orgId: rollup.orgId,
    lastUsedAt: rollup.lastUsedAt,
    uses: rollup.uses,
    refused: rollup.refused,
    lastRefusedAt: rollup.lastRefusedAt,
  });
  const day = usageDayOf(rollup);
  if (day !== null) {
    sql.addDailyUsage.run({
      orgId: rollup.orgId,
      keyId: rollup.keyId,
      day,
      uses: rollup.uses,
      refused: rollup.refused,
    });
  }
  if (rollup.refused <= 0) return;
  const row: AuditRow = [
    -sequence,
    rollup.orgId,
    rollup.lastRefusedAt ?? rollup.windowEnd,
    'key.refused_attempts',
    null,
    rollup.owner.kind,
    rollup.owner.id,
    // Resolved when queried: rollups and events are two streams, so "as of that moment" has no
    // single answer that a rebuild would reproduce.
    null,
    'key',
    rollup.keyId,
    null,
    rollup.owner.kind,
    rollup.owner.id,
    null,
    null,
    null,
    null,
    null,
    null,
    json({
      refused: rollup.refused,
      refusedByReason: rollup.refusedByReason,
      uses: rollup.uses,
      windowStart: rollup.windowStart,
      windowEnd: rollup.windowEnd,
      verifierId: rollup.verifierId,
    }),
  ];
  sql.insertAudit.run(row);
}

/** A rollup from the usage stream is trusted for shape only after this check. */
export function isKeyUsageRollup(value: unknown): value is KeyUsageRollup {
  const r = value as Partial<KeyUsageRollup> | null;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  const time = (n: unknown) => n === null || (typeof n === 'number' && Number.isFinite(n));
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.orgId === 'string' &&
    typeof r.keyId === 'string' &&
    typeof r.owner?.kind === 'string' &&
    typeof r.owner?.id === 'string' &&
    count(r.uses) &&
    count(r.refused) &&
    time(r.lastUsedAt) &&
    time(r.lastRefusedAt) &&
    typeof r.windowEnd === 'number'
  );
}
