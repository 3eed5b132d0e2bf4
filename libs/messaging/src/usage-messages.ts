/**
 * Key usage, rolled up by each verifier node: at most one message per key per node per minute,
 * published to a durable JetStream stream so a projector rebuild restores last-used times.
 */
import type { InvalidReason } from './verify-messages';

export const USAGE_STREAM = 'KEYWARD_USAGE';

/** Subjects are `kw.usage.<orgId>.<keyId>`. */
export const USAGE_SUBJECT_PREFIX = 'kw.usage';

export function usageSubject(orgId: string, keyId: string): string {
  return `${USAGE_SUBJECT_PREFIX}.${orgId}.${keyId}`;
}

export interface KeyUsageRollup {
  orgId: string;
  keyId: string;
  owner: { kind: 'member' | 'serviceAccount'; id: string };
  /** Which verifier node counted these, and the window it counted them in (epoch ms). */
  verifierId: string;
  windowStart: number;
  windowEnd: number;
  /** Epoch ms of the last accepted use in the window, or null if none was accepted. */
  lastUsedAt: number | null;
  uses: number;
  /** Refused attempts with this key (revoked, expired, account deleted): security signals. */
  refused: number;
  refusedByReason: Partial<Record<InvalidReason, number>>;
  lastRefusedAt: number | null;
}
