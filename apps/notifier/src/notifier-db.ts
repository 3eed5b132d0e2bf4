import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * The notifier's SQLite file (WAL): the checkpoint, and the tables folded from the same events
 * and written in its transactions: key deadlines, webhook endpoints, the webhook delivery queue
 * and its attempt log.
 *
 * A file from before a table existed is upgraded on open: its checkpoint is past events the new
 * table never saw, so the store is folded again from the start. Up to the old checkpoint
 * (`fold_only_through`) nothing is published again, and the tables the file already held skip
 * the events they have (`deadlines_through`).
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
  const hadDeadlines = has('key_deadlines');
  const hadWebhooks = has('webhook_endpoints');
  db.transaction(() => {
    if (!hadDeadlines || !hadWebhooks) refoldFromStart(db, { deadlinesKept: hadDeadlines });
    createDeadlines(db);
    createWebhooks(db);
    db.exec(`CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
  })();
  return db;
}

function refoldFromStart(db: Db, options: { deadlinesKept: boolean }): void {
  const read = (name: string) =>
    db.prepare(`SELECT position FROM checkpoints WHERE name = ?`).pluck().get(name) as
      string | undefined;
  const write = (name: string, position: bigint) =>
    db
      .prepare(
        `INSERT INTO checkpoints (name, position) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      )
      .run(name, position.toString());
  const events = read('events');
  if (events === undefined) return;
  // An upgrade may come while an earlier one is still refolding: publish from the later point.
  const publishedThrough = read('fold_only_through');
  const through = [BigInt(events), BigInt(publishedThrough ?? events)].reduce((a, b) =>
    a > b ? a : b,
  );
  write('fold_only_through', through);
  if (options.deadlinesKept) write('deadlines_through', BigInt(events));
  db.prepare(`DELETE FROM checkpoints WHERE name = 'events'`).run();
}

function createDeadlines(db: Db): void {
  // soon / expired: 'pending' | 'sent' | 'skipped'. A new expiry (a rotation) resets both: its
  // notices are new ones (new ids); the same expiry again (a replay) keeps them.
  db.exec(
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
