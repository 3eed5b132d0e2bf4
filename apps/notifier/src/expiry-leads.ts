import { decodeEvent } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';

/**
 * The lead time of `key.expiring_soon` is each organization's policy (`expiryNoticeSeconds` in
 * `OrganizationPolicySet`; docs/notifications.md "Expiry notices"): null uses the deployment's
 * default (`KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS`), 0 sends no such notice. The notifier folds
 * the policy events beside the key deadlines, in the checkpoint's transaction. This file is the
 * pure part: what a policy event changes, and when a key's soon notice is due with a lead.
 */

/** An organization's lead changed: its keys' pending soon notices are planned again. */
export interface LeadChange {
  kind: 'lead';
  orgId: string;
  /** Null: the deployment's default. */
  seconds: number | null;
  /** Epoch ms, when the policy was set: a re-planned notice is due no earlier. */
  at: number;
}

/** The lead change of one stored event: an `OrganizationPolicySet`, nothing else. */
export function leadChangesOf(recorded: RecordedEvent): LeadChange[] {
  if (recorded.type !== 'OrganizationPolicySet') return [];
  const decoded = decodeEvent(recorded);
  if (!decoded.known || decoded.event.type !== 'OrganizationPolicySet') return [];
  const { event, metadata } = decoded;
  return [
    {
      kind: 'lead',
      orgId: event.data.orgId,
      seconds: event.data.expiryNoticeSeconds,
      at: metadata.occurredAt === undefined ? 0 : Date.parse(metadata.occurredAt),
    },
  ];
}

/** A key's soon notice as planned: pending from `soonAt` (epoch ms), or skipped (lead 0). */
export interface SoonPlan {
  soon: 'pending' | 'skipped';
  soonAt: number;
}

/**
 * When a key expiring at `expiresAt` gets its soon notice with a lead of `leadMs`: the lead
 * before the expiry, and never before `from` (the event that set the expiry or the lead), so a
 * key issued or a lead lengthened inside the lead gets its notice at once. A lead of 0: none.
 */
export function soonPlan(expiresAt: number, from: number, leadMs: number): SoonPlan {
  if (leadMs === 0) return { soon: 'skipped', soonAt: expiresAt };
  return { soon: 'pending', soonAt: Math.max(from, expiresAt - leadMs) };
}
