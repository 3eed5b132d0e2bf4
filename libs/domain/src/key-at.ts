import type { PrincipalRef } from './actor';
import type { KeywardEvent } from './events/keyward-event';
import type { RevocationReason } from './key-events';
import type { MemberGrant } from './member/member-events';
import { normalizePermissions, type Permission } from './permissions';

/** One event of an owner's stream, as the store recorded it, for a point-in-time answer. */
export interface HistoryEvent {
  event: KeywardEvent;
  /** Epoch ms, from the event's metadata (the command's clock). */
  occurredAt: number;
  eventId: string;
  position: bigint;
}

export type KeyAtReason =
  'not_issued_yet' | 'revoked' | 'expired' | 'account_deleted' | 'member_removed';

export interface KeyAt {
  valid: boolean;
  /** Why it was not valid then; null when it was. */
  reason: KeyAtReason | null;
  /** For a revoked key: the reason recorded on its KeyRevoked. */
  revocationReason: RevocationReason | null;
  owner: PrincipalRef;
  /** A service account's one role then; null for a member (a role per resource). */
  role: string | null;
  /** Every permission the owner held then (on some resource). */
  permissions: Permission[];
  resources: string[];
  /** A member's grants then; null for a service account. */
  grants: MemberGrant[] | null;
  /** The key's expiry as it stood then (epoch ms), or null for none. */
  expiresAt: number | null;
  /** Set once the key had been rotated by then: its successor. */
  successorKeyId: string | null;
  /** The latest event at or before the time that made the answer what it is (null: none yet). */
  decidedBy: HistoryEvent | null;
}

interface Folded {
  issued: HistoryEvent | null;
  expiresAt: number | null;
  expirySetBy: HistoryEvent | null;
  successorKeyId: string | null;
  revoked: { by: HistoryEvent; reason: RevocationReason } | null;
  role: string | null;
  permissions: Permission[];
  resources: string[];
  grants: MemberGrant[] | null;
  accessSetBy: HistoryEvent | null;
  ended: { by: HistoryEvent; reason: 'account_deleted' | 'member_removed' } | null;
}

/**
 * docs/product-rules.md rule 12: was a key valid at `at` (epoch ms), for which principal, role,
 * permissions and resources, and which event decided it. `history` is the key owner's whole
 * stream in order (a service account's or a member's: both hold its keys and its access); only
 * events that occurred at or before `at` count, and the answer is what a verifier following the
 * store would have decided at that moment (rule 7: expired from the first millisecond past the
 * expiry). Null when the stream never issued the key.
 */
export function keyAt(history: readonly HistoryEvent[], keyId: string, at: number): KeyAt | null {
  const issuedEver = history.find(
    (h) => h.event.type === 'KeyIssued' && h.event.data.keyId === keyId,
  );
  if (!issuedEver || issuedEver.event.type !== 'KeyIssued') return null;
  const owner = issuedEver.event.data.owner;
  const state = fold(
    history.filter((h) => h.occurredAt <= at),
    keyId,
  );
  const answer = (
    reason: KeyAtReason | null,
    decidedBy: HistoryEvent | null,
    revocationReason: RevocationReason | null = null,
  ): KeyAt => ({
    valid: reason === null,
    reason,
    revocationReason,
    owner,
    role: state.role,
    permissions: state.permissions,
    resources: state.resources,
    grants: state.grants,
    expiresAt: state.expiresAt,
    successorKeyId: state.successorKeyId,
    decidedBy,
  });
  if (!state.issued) return answer('not_issued_yet', null);
  if (state.revoked) return answer('revoked', state.revoked.by, state.revoked.reason);
  if (state.expiresAt !== null && state.expiresAt <= at)
    return answer('expired', state.expirySetBy);
  if (state.ended) return answer(state.ended.reason, state.ended.by);
  return answer(null, latest(state.expirySetBy, state.accessSetBy));
}

function fold(events: readonly HistoryEvent[], keyId: string): Folded {
  const state: Folded = {
    issued: null,
    expiresAt: null,
    expirySetBy: null,
    successorKeyId: null,
    revoked: null,
    role: null,
    permissions: [],
    resources: [],
    grants: null,
    accessSetBy: null,
    ended: null,
  };
  for (const h of events) {
    const { event } = h;
    switch (event.type) {
      case 'ServiceAccountCreated':
        state.role = event.data.role;
        state.permissions = event.data.permissions;
        state.resources = event.data.resources;
        state.accessSetBy = h;
        break;
      case 'ServiceAccountDeleted':
        state.ended = { by: h, reason: 'account_deleted' };
        break;
      case 'MemberAdded':
      case 'MemberGrantsChanged':
        state.grants = event.data.grants;
        state.permissions = normalizePermissions(event.data.grants.flatMap((g) => g.permissions));
        state.resources = event.data.grants.map((g) => g.resource);
        state.accessSetBy = h;
        break;
      case 'MemberRemoved':
        state.ended = { by: h, reason: 'member_removed' };
        break;
      case 'KeyIssued':
        if (event.data.keyId !== keyId) break;
        state.issued = h;
        state.expiresAt = event.data.expiresAt;
        state.expirySetBy = h;
        break;
      case 'KeyRotated':
        if (event.data.keyId !== keyId) break;
        state.expiresAt = event.data.expiresAt;
        state.expirySetBy = h;
        state.successorKeyId = event.data.successorKeyId;
        break;
      case 'KeyRevoked':
        if (event.data.keyId === keyId) state.revoked = { by: h, reason: event.data.reason };
        break;
      default:
        break;
    }
  }
  return state;
}

function latest(a: HistoryEvent | null, b: HistoryEvent | null): HistoryEvent | null {
  if (!a) return b;
  if (!b) return a;
  return a.position >= b.position ? a : b;
}
