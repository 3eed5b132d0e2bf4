import type { ExpiryNotificationType } from '@keyward/messaging';
import type { Deadline, DeadlineChange, KeyExpiry, NoticeState } from './expiry-deadlines';
import { soonPlan } from './expiry-leads';
import type { Db } from './notifier-db';

interface DeadlineRow {
  key_id: string;
  org_id: string;
  owner_kind: 'member' | 'serviceAccount';
  owner_id: string;
  expires_at: number;
  position: string;
  set_at: number;
  successor_key_id: string | null;
  soon_at: number;
  soon: NoticeState;
  expired: NoticeState;
}

/** Where a key's lead comes from: its organization's policy, or the default (`ExpiryLeadTable`). */
export interface LeadOf {
  leadMsOf(orgId: string): number;
}

/**
 * The key deadlines folded from the store (`expiry-deadlines.ts`): changed only inside the
 * checkpoint's transaction; each row also holds when its soon notice is due (planned with the
 * organization's lead when the expiry is set, again when the lead changes: `soon_from` is the
 * time of the event that planned it) and which of its two notices were sent (after JetStream's
 * acknowledgement).
 */
export class KeyDeadlineTable {
  private readonly setDeadline;
  private readonly endDeadline;
  private readonly endOwnerDeadlines;
  private readonly selectDue;
  private readonly selectNextSoon;
  private readonly selectNextExpired;
  private readonly markSoon;
  private readonly markExpired;
  private readonly selectAll;

  constructor(
    db: Db,
    private readonly leads: LeadOf,
  ) {
    // The same expiry again (a replay) keeps its plan and notices; a new one (a rotation) gets
    // new notices (new ids), planned with the lead of now.
    this.setDeadline = db.prepare(
      `INSERT INTO key_deadlines
         (key_id, org_id, owner_kind, owner_id, expires_at, position, set_at, successor_key_id,
          soon_at, soon_from, soon)
       VALUES (@keyId, @orgId, @ownerKind, @ownerId, @expiresAt, @position, @setAt,
          @successorKeyId, @soonAt, @setAt, @soon)
       ON CONFLICT (key_id) DO UPDATE SET
         soon = CASE WHEN expires_at = excluded.expires_at THEN soon ELSE excluded.soon END,
         soon_at = CASE WHEN expires_at = excluded.expires_at THEN soon_at ELSE excluded.soon_at END,
         soon_from = CASE WHEN expires_at = excluded.expires_at THEN soon_from
                          ELSE excluded.soon_from END,
         expired = CASE WHEN expires_at = excluded.expires_at THEN expired ELSE 'pending' END,
         org_id = excluded.org_id, owner_kind = excluded.owner_kind, owner_id = excluded.owner_id,
         expires_at = excluded.expires_at, position = excluded.position,
         set_at = excluded.set_at, successor_key_id = excluded.successor_key_id`,
    );
    this.endDeadline = db.prepare(`DELETE FROM key_deadlines WHERE key_id = ?`);
    this.endOwnerDeadlines = db.prepare(
      `DELETE FROM key_deadlines WHERE org_id = ? AND owner_kind = ? AND owner_id = ?`,
    );
    this.selectDue = db.prepare(
      `SELECT * FROM key_deadlines
        WHERE (soon = 'pending' AND soon_at <= @now)
           OR (expired = 'pending' AND expires_at <= @now)
        ORDER BY expires_at LIMIT @limit`,
    );
    this.selectNextSoon = db
      .prepare(`SELECT MIN(soon_at) FROM key_deadlines WHERE soon = 'pending'`)
      .pluck();
    this.selectNextExpired = db
      .prepare(`SELECT MIN(expires_at) FROM key_deadlines WHERE expired = 'pending'`)
      .pluck();
    this.markSoon = db.prepare(
      `UPDATE key_deadlines SET soon = ? WHERE key_id = ? AND expires_at = ?`,
    );
    this.markExpired = db.prepare(
      `UPDATE key_deadlines SET expired = 'sent' WHERE key_id = ? AND expires_at = ?`,
    );
    this.selectAll = db.prepare(`SELECT * FROM key_deadlines ORDER BY key_id`);
  }

  apply(change: DeadlineChange): void {
    if (change.kind === 'end') this.endDeadline.run(change.keyId);
    else if (change.kind === 'endOwner')
      this.endOwnerDeadlines.run(change.orgId, change.owner.kind, change.owner.id);
    else this.set(change.deadline);
  }

  due(now: number, limit: number): Deadline[] {
    const rows = this.selectDue.all({ now, limit }) as DeadlineRow[];
    return rows.map(deadlineOf);
  }

  nextDue(): number | null {
    const soon = this.selectNextSoon.get() as number | null;
    const expired = this.selectNextExpired.get() as number | null;
    const times = [soon, expired].filter((t) => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  }

  /** Call inside a transaction when `skipSoon`: both marks go together. */
  markSent(keyId: string, expiresAt: number, type: ExpiryNotificationType, skipSoon: boolean) {
    if (type === 'key.expiring_soon') this.markSoon.run('sent', keyId, expiresAt);
    else {
      if (skipSoon) this.markSoon.run('skipped', keyId, expiresAt);
      this.markExpired.run(keyId, expiresAt);
    }
  }

  all(): Deadline[] {
    return (this.selectAll.all() as DeadlineRow[]).map(deadlineOf);
  }

  private set(d: KeyExpiry): void {
    const plan = soonPlan(d.expiresAt, d.setAt, this.leads.leadMsOf(d.orgId));
    this.setDeadline.run({
      keyId: d.keyId,
      orgId: d.orgId,
      ownerKind: d.owner.kind,
      ownerId: d.owner.id,
      expiresAt: d.expiresAt,
      position: d.position,
      setAt: d.setAt,
      successorKeyId: d.successorKeyId,
      soonAt: plan.soonAt,
      soon: plan.soon,
    });
  }
}

function deadlineOf(row: DeadlineRow): Deadline {
  return {
    keyId: row.key_id,
    orgId: row.org_id,
    owner: { kind: row.owner_kind, id: row.owner_id },
    expiresAt: row.expires_at,
    position: row.position,
    setAt: row.set_at,
    successorKeyId: row.successor_key_id,
    soonAt: row.soon_at,
    soon: row.soon,
    expired: row.expired,
  };
}
