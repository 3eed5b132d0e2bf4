import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { ExpiryNotificationType } from '@keyward/messaging';
import type { Deadline, DeadlineChange, NoticeState } from './expiry-deadlines';

interface DeadlineRow {
  key_id: string;
  org_id: string;
  owner_kind: 'member' | 'serviceAccount';
  owner_id: string;
  expires_at: number;
  position: string;
  set_at: number;
  successor_key_id: string | null;
  soon: NoticeState;
  expired: NoticeState;
}

/**
 * The notifier's durable checkpoint: the store position up to which every notification was
 * acknowledged by JetStream. One row in a small SQLite file (WAL); written only after the
 * acknowledgements, so a crash publishes again rather than loses.
 *
 * Beside it, the key deadlines folded from the same events (`expiry-deadlines.ts`), written in
 * the same transaction as the checkpoint: the table always reflects exactly the events up to the
 * checkpoint, so a restart resumes both together. Each row also records which of its two
 * notices were sent (after JetStream's acknowledgement).
 */
export class CheckpointStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement;
  private readonly upsert: Database.Statement;
  private readonly setDeadline: Database.Statement;
  private readonly endDeadline: Database.Statement;
  private readonly endOwnerDeadlines: Database.Statement;
  private readonly selectDue: Database.Statement;
  private readonly selectNextSoon: Database.Statement;
  private readonly selectNextExpired: Database.Statement;
  private readonly markSoon: Database.Statement;
  private readonly markExpired: Database.Statement;
  private readonly selectAll: Database.Statement;
  private readonly writeAll: (position: bigint, changes: readonly DeadlineChange[]) => void;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    // A crash of this process loses no commit; an OS crash may lose the last ones, which are
    // then published again (at least once).
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)`,
    );
    const hadDeadlines =
      this.db
        .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'key_deadlines'`)
        .get() !== undefined;
    const upgrade = this.db.transaction(() => {
      // A file from before expiry notices: its checkpoint is past events whose deadlines the
      // table never saw. Fold again from the start, publishing nothing up to that checkpoint.
      this.db
        .prepare(
          `INSERT OR IGNORE INTO checkpoints (name, position)
           SELECT 'fold_only_through', position FROM checkpoints WHERE name = 'events'`,
        )
        .run();
      this.db.prepare(`DELETE FROM checkpoints WHERE name = 'events'`).run();
      this.createDeadlines();
    });
    if (hadDeadlines) this.createDeadlines();
    else upgrade();
    this.setDeadline = this.db.prepare(
      `INSERT INTO key_deadlines
         (key_id, org_id, owner_kind, owner_id, expires_at, position, set_at, successor_key_id)
       VALUES (@keyId, @orgId, @ownerKind, @ownerId, @expiresAt, @position, @setAt, @successorKeyId)
       ON CONFLICT (key_id) DO UPDATE SET
         soon = CASE WHEN expires_at = excluded.expires_at THEN soon ELSE 'pending' END,
         expired = CASE WHEN expires_at = excluded.expires_at THEN expired ELSE 'pending' END,
         org_id = excluded.org_id, owner_kind = excluded.owner_kind, owner_id = excluded.owner_id,
         expires_at = excluded.expires_at, position = excluded.position,
         set_at = excluded.set_at, successor_key_id = excluded.successor_key_id`,
    );
    this.endDeadline = this.db.prepare(`DELETE FROM key_deadlines WHERE key_id = ?`);
    this.endOwnerDeadlines = this.db.prepare(
      `DELETE FROM key_deadlines WHERE org_id = ? AND owner_kind = ? AND owner_id = ?`,
    );
    this.selectDue = this.db.prepare(
      `SELECT * FROM key_deadlines
        WHERE (soon = 'pending' AND expires_at <= @soonBefore)
           OR (expired = 'pending' AND expires_at <= @now)
        ORDER BY expires_at LIMIT @limit`,
    );
    this.selectNextSoon = this.db
      .prepare(`SELECT MIN(expires_at) FROM key_deadlines WHERE soon = 'pending'`)
      .pluck();
    this.selectNextExpired = this.db
      .prepare(`SELECT MIN(expires_at) FROM key_deadlines WHERE expired = 'pending'`)
      .pluck();
    this.markSoon = this.db.prepare(
      `UPDATE key_deadlines SET soon = ? WHERE key_id = ? AND expires_at = ?`,
    );
    this.markExpired = this.db.prepare(
      `UPDATE key_deadlines SET expired = 'sent' WHERE key_id = ? AND expires_at = ?`,
    );
    this.selectAll = this.db.prepare(`SELECT * FROM key_deadlines ORDER BY key_id`);
    this.select = this.db.prepare(`SELECT position FROM checkpoints WHERE name = 'events'`).pluck();
    this.upsert = this.db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES ('events', ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.writeAll = this.db.transaction((position: bigint, changes: readonly DeadlineChange[]) => {
      for (const change of changes) this.apply(change);
      this.upsert.run(position.toString());
    });
  }

  /**
   * Up to here (inclusive) events are only folded into the deadlines, not published again: set
   * once, when a file from before expiry notices is opened. Null: publish everything.
   */
  foldOnlyThrough(): bigint | null {
    const stored = this.db
      .prepare(`SELECT position FROM checkpoints WHERE name = 'fold_only_through'`)
      .pluck()
      .get() as string | undefined;
    return stored === undefined ? null : BigInt(stored);
  }

  /** The last position whose notification (if any) is acknowledged; null: nothing yet. */
  read(): bigint | null {
    const stored = this.select.get() as string | undefined;
    return stored === undefined ? null : BigInt(stored);
  }

  /** Advances the checkpoint and applies the deadline changes of the events up to it, at once. */
  write(position: bigint, changes: readonly DeadlineChange[] = []): void {
    this.writeAll(position, changes);
  }

  /** Deadlines with a notice due at `now` (epoch ms), earliest expiry first. */
  due(now: number, leadMs: number, limit = 500): Deadline[] {
    const rows = this.selectDue.all({ now, soonBefore: now + leadMs, limit }) as DeadlineRow[];
    return rows.map(deadlineOf);
  }

  /** The earliest time (epoch ms) a notice comes due, or null: none pending. */
  nextDue(leadMs: number): number | null {
    const soon = this.selectNextSoon.get() as number | null;
    const expired = this.selectNextExpired.get() as number | null;
    const times = [soon === null ? null : soon - leadMs, expired].filter((t) => t !== null);
    return times.length === 0 ? null : Math.min(...times);
  }

  /**
   * Records a notice as sent (after its acknowledgement); `skipSoon` marks the soon notice
   * skipped with it. A no-op when the key's expiry has changed or it ended meanwhile.
   */
  markSent(keyId: string, expiresAt: number, type: ExpiryNotificationType, skipSoon = false): void {
    if (type === 'key.expiring_soon') this.markSoon.run('sent', keyId, expiresAt);
    else {
      this.db.transaction(() => {
        if (skipSoon) this.markSoon.run('skipped', keyId, expiresAt);
        this.markExpired.run(keyId, expiresAt);
      })();
    }
  }

  /** Every deadline, by key id (tests and diagnostics). */
  deadlines(): Deadline[] {
    return (this.selectAll.all() as DeadlineRow[]).map(deadlineOf);
  }

  private createDeadlines(): void {
    // soon / expired: 'pending' | 'sent' | 'skipped'. A new expiry (a rotation) resets both:
    // its notices are new ones (new ids); the same expiry again (a replay) keeps them.
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS key_deadlines (
         key_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, owner_kind TEXT NOT NULL,
         owner_id TEXT NOT NULL, expires_at INTEGER NOT NULL, position TEXT NOT NULL,
         set_at INTEGER NOT NULL, successor_key_id TEXT,
         soon TEXT NOT NULL DEFAULT 'pending', expired TEXT NOT NULL DEFAULT 'pending');
       CREATE INDEX IF NOT EXISTS key_deadlines_soon ON key_deadlines (soon, expires_at);
       CREATE INDEX IF NOT EXISTS key_deadlines_expired ON key_deadlines (expired, expires_at);
       CREATE INDEX IF NOT EXISTS key_deadlines_owner ON key_deadlines (org_id, owner_kind, owner_id);`,
    );
  }

  private apply(change: DeadlineChange): void {
    if (change.kind === 'end') this.endDeadline.run(change.keyId);
    else if (change.kind === 'endOwner')
      this.endOwnerDeadlines.run(change.orgId, change.owner.kind, change.owner.id);
    else {
      const d = change.deadline;
      this.setDeadline.run({
        keyId: d.keyId,
        orgId: d.orgId,
        ownerKind: d.owner.kind,
        ownerId: d.owner.id,
        expiresAt: d.expiresAt,
        position: d.position,
        setAt: d.setAt,
        successorKeyId: d.successorKeyId,
      });
    }
  }

  close(): void {
    this.db.close();
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
    soon: row.soon,
    expired: row.expired,
  };
}
