import { decodeEvent } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import type {
  ExpiryNotificationType,
  Notification,
  NotificationPrincipal,
} from '@keyward/messaging';

/**
 * Expiry notices (issue 14 part 4, docs/notifications.md "Expiry notices"): the notifier folds
 * every event into a table of key deadlines (a key's current expiry, and when its soon notice is
 * due from its organization's lead: `expiry-leads.ts`), kept in its SQLite file and written in
 * the same transaction as the checkpoint. This file is the pure part: what an event changes in
 * the table, what is due at a time T, and the notification sent.
 */

/** One key's current expiry, as the event that set it says. */
export interface KeyExpiry {
  keyId: string;
  orgId: string;
  owner: NotificationPrincipal;
  /** Epoch ms. */
  expiresAt: number;
  /** Store position of the event that set this expiry (KeyIssued or KeyRotated), decimal. */
  position: string;
  /** Epoch ms, when that event was recorded. */
  setAt: number;
  /** Set when the expiry came from a rotation. */
  successorKeyId: string | null;
}

/** A key's expiry and its two notices: when the soon one is due, and which are done. */
export interface Deadline extends KeyExpiry {
  /**
   * Epoch ms: when `key.expiring_soon` is due, from the organization's lead (`expiry-leads.ts`);
   * the expiry itself when the lead is 0 (the notice is then skipped).
   */
  soonAt: number;
  soon: NoticeState;
  expired: NoticeState;
}

/**
 * `skipped`: no `key.expiring_soon` for this expiry: the key was already expired when it came
 * due, or the organization's lead is 0.
 */
export type NoticeState = 'pending' | 'sent' | 'skipped';

/** What one event does to the table. */
export type DeadlineChange =
  | { kind: 'set'; deadline: KeyExpiry }
  | { kind: 'end'; keyId: string }
  | { kind: 'endOwner'; orgId: string; owner: NotificationPrincipal };

const FOLDED = new Set([
  'KeyIssued',
  'KeyRotated',
  'KeyRevoked',
  'ServiceAccountDeleted',
  'MemberRemoved',
]);

/**
 * The table changes one stored event makes: a key issued with an expiry or rotated (its expiry
 * shortened) sets the key's deadline; a revocation ends it (no notice for a revoked key), and so
 * do an account's deletion and a member's removal for every key they own. Unknown types and
 * types that do not touch expiries change nothing. Deterministic: a replay gives the same table.
 */
export function deadlineChangesOf(recorded: RecordedEvent): DeadlineChange[] {
  if (!FOLDED.has(recorded.type)) return [];
  const decoded = decodeEvent(recorded);
  if (!decoded.known) return [];
  const { event, metadata } = decoded;
  const position = recorded.position.toString();
  const setAt = metadata.occurredAt === undefined ? 0 : Date.parse(metadata.occurredAt);
  switch (event.type) {
    case 'KeyIssued':
      if (event.data.expiresAt === null) return [];
      return [
        {
          kind: 'set',
          deadline: {
            keyId: event.data.keyId,
            orgId: event.data.orgId,
            owner: { kind: event.data.owner.kind, id: event.data.owner.id },
            expiresAt: event.data.expiresAt,
            position,
            setAt,
            successorKeyId: null,
          },
        },
      ];
    case 'KeyRotated':
      return [
        {
          kind: 'set',
          deadline: {
            keyId: event.data.keyId,
            orgId: event.data.orgId,
            owner: { kind: event.data.owner.kind, id: event.data.owner.id },
            expiresAt: event.data.expiresAt,
            position,
            setAt,
            successorKeyId: event.data.successorKeyId,
          },
        },
      ];
    case 'KeyRevoked':
      return [{ kind: 'end', keyId: event.data.keyId }];
    case 'ServiceAccountDeleted':
      return [
        {
          kind: 'endOwner',
          orgId: event.data.orgId,
          owner: { kind: 'serviceAccount', id: event.data.accountId },
        },
      ];
    case 'MemberRemoved':
      return [
        {
          kind: 'endOwner',
          orgId: event.data.orgId,
          owner: { kind: 'member', id: event.data.userId },
        },
      ];
    default:
      return [];
  }
}

/**
 * What is due for one deadline at `now` (epoch ms): `key.expired` from the first millisecond of
 * the expiry (rule 7), and then `key.expiring_soon` is skipped if it was never sent (the key is
 * already expired); otherwise `key.expiring_soon` from its `soonAt`.
 */
export function dueAt(
  deadline: Pick<Deadline, 'expiresAt' | 'soonAt' | 'soon' | 'expired'>,
  now: number,
): { send: ExpiryNotificationType | null; skipSoon: boolean } {
  if (deadline.expired === 'pending' && now >= deadline.expiresAt) {
    return { send: 'key.expired', skipSoon: deadline.soon === 'pending' };
  }
  if (deadline.soon === 'pending' && now >= deadline.soonAt) {
    return { send: 'key.expiring_soon', skipSoon: false };
  }
  return { send: null, skipSoon: false };
}

/** When this deadline next has something due (epoch ms), or null: both notices are done. */
export function nextDueOf(
  deadline: Pick<Deadline, 'expiresAt' | 'soonAt' | 'soon' | 'expired'>,
): number | null {
  if (deadline.soon === 'pending') return deadline.soonAt;
  if (deadline.expired === 'pending') return deadline.expiresAt;
  return null;
}

/** The deterministic id of a notice: the same on every replica and every re-send. */
export function expiryNoticeId(type: ExpiryNotificationType, keyId: string, expiresAt: number) {
  return `${type}:${keyId}:${expiresAt}`;
}

/**
 * The notification of one notice. Everything in it follows from the deadline, so a re-send after
 * a crash or another replica publishes the same body with the same id. `occurredAt` is when the
 * notice came due: the expiry itself, or `soonAt` (`expiresAt - lead`, never before the event
 * that set the expiry or the lead).
 */
export function expiryNotification(
  deadline: Omit<Deadline, 'soon' | 'expired'>,
  type: ExpiryNotificationType,
): Notification {
  const dueMs = type === 'key.expired' ? deadline.expiresAt : deadline.soonAt;
  return {
    eventId: expiryNoticeId(type, deadline.keyId, deadline.expiresAt),
    type,
    orgId: deadline.orgId,
    position: deadline.position,
    occurredAt: new Date(dueMs).toISOString(),
    actor: { kind: 'system', id: null },
    target: { kind: 'key', id: deadline.keyId },
    data: {
      owner: { kind: deadline.owner.kind, id: deadline.owner.id },
      expiresAt: new Date(deadline.expiresAt).toISOString(),
      ...(deadline.successorKeyId === null ? {} : { successorKeyId: deadline.successorKeyId }),
    },
  };
}
