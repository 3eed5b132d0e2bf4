import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { FoldPart } from './store-changes';

export type Db = Database.Database;

/**
 * What is folded from the store into the file, by part: the table that tells whether a file has
 * the part, and the checkpoint up to which a kept part already holds the events.
 */
const FOLDED: Record<FoldPart, { table: string; through: string }> = {
  deadlines: { table: 'key_deadlines', through: 'deadlines_through' },
  leads: { table: 'org_expiry_leads', through: 'leads_through' },
  endpoints: { table: 'webhook_endpoints', through: 'endpoints_through' },
};

/**
 * The notifier's SQLite file (WAL): the checkpoint, and the tables folded from the same events
 * and written in its transactions: key deadlines, organizations' expiry leads, webhook
 * endpoints, the webhook delivery queue and its attempt log.
 *
 * A file from before a part existed is upgraded on open: its checkpoint is past events the new
 * table never saw, so the store is folded again from the start. Up to the old checkpoint
 * (`fold_only_through`) nothing is published again, and the parts the file already held skip
 * the events they have (`<part>_through`, `foldedThroughName`).
 */
export function openNotifierDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  // A crash of this process loses no commit; an OS crash may lose the last ones, which are then
  // published (and queued for webhooks) again: at least once.
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)`);
  const has = (table: string) =>
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(table) !==
    undefined;
  const kept = (Object.keys(FOLDED) as FoldPart[]).filter((part) => has(FOLDED[part].table));
  db.transaction(() => {
    if (kept.length < Object.keys(FOLDED).length) refoldFromStart(db, kept);
    createDeadlines(db);
    createLeads(db);
    createWebhooks(db);
    db.exec(`CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  })();
  return db;
}

/** The checkpoint up to which `part` already holds the events (an upgraded file). */
export function foldedThroughName(part: FoldPart): string {
  return FOLDED[part].through;
}

function refoldFromStart(db: Db, kept: readonly FoldPart[]): void {
  const read = (name: string) => readPosition(db, name);
  const write = (name: string, position: bigint) =>
    db
      .prepare(
        `INSERT INTO checkpoints (name, position) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      )
      .run(name, position.toString());
  const events = read('events');
  if (events === null) return;
  // An upgrade may come while an earlier one is still refolding: publish from the later point,
  // and a part kept then holds the events up to its own mark.
  write('fold_only_through', later(events, read('fold_only_through')));
  for (const part of kept) write(FOLDED[part].through, later(events, read(FOLDED[part].through)));
  db.prepare(`DELETE FROM checkpoints WHERE name = 'events'`).run();
}

function later(a: bigint, b: bigint | null): bigint {
  return b !== null && b > a ? b : a;
}

function createDeadlines(db: Db): void {
  // soon / expired: 'pending' | 'sent' | 'skipped'. A new expiry (a rotation) resets both: its
  // notices are new ones (new ids); the same expiry again (a replay) keeps them. soon_at: when
  // the soon notice is due, planned by the event at soon_from (epoch ms).
  db.exec(
    `CREATE TABLE IF NOT EXISTS key_deadlines (
       key_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, owner_kind TEXT NOT NULL,
       owner_id TEXT NOT NULL, expires_at INTEGER NOT NULL, position TEXT NOT NULL,
       set_at INTEGER NOT NULL, successor_key_id TEXT,
       soon TEXT NOT NULL DEFAULT 'pending', expired TEXT NOT NULL DEFAULT 'pending',
       soon_at INTEGER NOT NULL DEFAULT 0, soon_from INTEGER NOT NULL DEFAULT 0);`,
  );
  const columns = db.prepare(`SELECT name FROM pragma_table_info('key_deadlines')`).pluck().all();
  if (!columns.includes('soon_at')) {
    // From before per-organization leads: the pending ones are planned on open with the
    // default (`ExpiryLeadTable.useDefault`: the file has none recorded), then by the policy
    // events as the upgrade folds them; a notice already done keeps its set time.
    db.exec(
      `ALTER TABLE key_deadlines ADD COLUMN soon_at INTEGER NOT NULL DEFAULT 0;
       ALTER TABLE key_deadlines ADD COLUMN soon_from INTEGER NOT NULL DEFAULT 0;
       UPDATE key_deadlines SET soon_from = set_at, soon_at = set_at;
       DROP INDEX IF EXISTS key_deadlines_soon;`,
    );
  }
  db.exec(
    `CREATE INDEX IF NOT EXISTS key_deadlines_soon_at ON key_deadlines (soon, soon_at);
     CREATE INDEX IF NOT EXISTS key_deadlines_expired ON key_deadlines (expired, expires_at);
     CREATE INDEX IF NOT EXISTS key_deadlines_owner ON key_deadlines (org_id, owner_kind, owner_id);`,
  );
}

function createLeads(db: Db): void {
  // lead_seconds NULL: the deployment's default (the policy was reset to it).
  db.exec(
    `CREATE TABLE IF NOT EXISTS org_expiry_leads (org_id TEXT PRIMARY KEY, lead_seconds INTEGER)`,
  );
}

function createWebhooks(db: Db): void {
  // Times are epoch ms. Endpoints: status 'enabled' | 'disabled' | 'deleted' (kept for the
  // attempt log until it is pruned); event_types a JSON array, or NULL for every type;
  // failing_since and last_delivery_* are kept by the dispatcher, the rest by the fold.
  // Deliveries: status 'pending' | 'delivered' | 'failed' | 'abandoned'; a pending delivery
  // behind another of its lane (same endpoint, same target) waits with next_attempt_at NULL.
  db.exec(
    `CREATE TABLE IF NOT EXISTS webhook_endpoints (
       id TEXT PRIMARY KEY, org_id TEXT NOT NULL, url TEXT NOT NULL, description TEXT NOT NULL,
       event_types TEXT, sealed_secret TEXT NOT NULL, status TEXT NOT NULL,
       disabled_reason TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
       position TEXT NOT NULL, failing_since INTEGER, last_delivery_at INTEGER,
       last_delivery_status TEXT, last_error TEXT);
     CREATE INDEX IF NOT EXISTS webhook_endpoints_org
       ON webhook_endpoints (org_id, created_at, id);
     CREATE TABLE IF NOT EXISTS webhook_deliveries (
       id INTEGER PRIMARY KEY AUTOINCREMENT, endpoint_id TEXT NOT NULL, event_id TEXT NOT NULL,
       lane TEXT NOT NULL, type TEXT NOT NULL, position TEXT NOT NULL, body TEXT NOT NULL,
       status TEXT NOT NULL DEFAULT 'pending', created_at INTEGER NOT NULL,
       committed_at INTEGER NOT NULL, next_attempt_at INTEGER, first_attempt_at INTEGER,
       attempts INTEGER NOT NULL DEFAULT 0, finished_at INTEGER,
       UNIQUE (endpoint_id, event_id));
     CREATE INDEX IF NOT EXISTS webhook_deliveries_due
       ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
     CREATE INDEX IF NOT EXISTS webhook_deliveries_lane
       ON webhook_deliveries (endpoint_id, lane, id) WHERE status = 'pending';
     CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
     CREATE INDEX IF NOT EXISTS webhook_deliveries_finished
       ON webhook_deliveries (finished_at) WHERE status <> 'pending';
     CREATE TABLE IF NOT EXISTS webhook_attempts (
       delivery_id INTEGER NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL,
       status_code INTEGER, latency_ms INTEGER NOT NULL, error TEXT, outcome TEXT NOT NULL,
       PRIMARY KEY (delivery_id, attempt)) WITHOUT ROWID;`,
  );
}

/** A stored checkpoint by name, or null. */
export function readPosition(db: Db, name: string): bigint | null {
  const stored = db.prepare(`SELECT position FROM checkpoints WHERE name = ?`).pluck().get(name) as
    string | undefined;
  return stored === undefined ? null : BigInt(stored);
}
