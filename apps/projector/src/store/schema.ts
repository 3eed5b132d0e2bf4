/*
 * The read models. Times are epoch milliseconds; replies convert to seconds. No table has a
 * column for a key's hash: it never leaves the event store.
 */

/**
 * The version of the read models' layout and of what the reducers write into it. Bump it with
 * any change to a table or a reducer: a file of another version (or an older file without one)
 * is dropped when the projector opens it, checkpoints included, and replayed from the store and
 * the usage stream, so no file ever holds rows derived by two versions of the code (G5). A
 * table added without the bump would start empty at the current checkpoints and never learn
 * what came before them.
 *
 * 1: the first layout (no version recorded). 2: key_usage_daily. 3: keys.succeeds and
 * keys.succeeded_by, and KeyRotated's new expiry (rotation, docs/product-rules.md rule 10).
 * 4: webhook_endpoints, and audit entries for the webhook endpoint events (an older projector
 * skipped them), the `system` actor among them. 5: organizations.expiry_notice_s, and the
 * policy's audit details with `expiryNoticeSeconds` (OrganizationPolicySet version 2).
 */
export const READ_MODEL_VERSION = 5;

export const READ_MODEL_TABLES = [
  'organizations',
  'roles',
  'members',
  'service_accounts',
  'keys',
  'key_usage',
  'key_usage_daily',
  'webhook_endpoints',
  'audit_log',
  'checkpoints',
] as const;

export const TABLES = `
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS checkpoints (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS organizations (
  org_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  max_active_keys INTEGER,
  max_key_lifetime_s INTEGER,
  allowed_sa_roles TEXT,
  -- NULL: the deployment default; 0: no "expiring soon" notice.
  expiry_notice_s INTEGER
);

CREATE TABLE IF NOT EXISTS roles (
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  permissions TEXT NOT NULL,
  defined_at INTEGER NOT NULL,
  PRIMARY KEY (org_id, name)
);

CREATE TABLE IF NOT EXISTS members (
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  org_role TEXT NOT NULL,
  grants TEXT NOT NULL,
  status TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  removed_at INTEGER,
  PRIMARY KEY (org_id, user_id)
);

CREATE TABLE IF NOT EXISTS service_accounts (
  account_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  description TEXT NOT NULL,
  role TEXT NOT NULL,
  permissions TEXT NOT NULL,
  resources TEXT NOT NULL,
  enable_basic_auth INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by_kind TEXT NOT NULL,
  created_by_id TEXT,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);

CREATE TABLE IF NOT EXISTS keys (
  key_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  owner_kind TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  hint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by_kind TEXT NOT NULL,
  created_by_id TEXT,
  expires_at INTEGER,
  revoked_at INTEGER,
  revoked_by_kind TEXT,
  revoked_by_id TEXT,
  revoked_reason TEXT,
  succeeds TEXT,
  succeeded_by TEXT
);

CREATE TABLE IF NOT EXISTS key_usage (
  key_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  last_used_at INTEGER,
  uses INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  last_refused_at INTEGER
);

-- Uses and refused attempts per key per UTC day (\`day\`: epoch seconds of that day's midnight),
-- from the usage rollups: what a chart of a key's traffic per day reads.
CREATE TABLE IF NOT EXISTS key_usage_daily (
  org_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  uses INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  PRIMARY KEY (org_id, key_id, day)
) WITHOUT ROWID;

-- Only what the audit log names an endpoint by (its URL as of each change); the endpoints
-- themselves, their filters and deliveries are the notifier's. Never the secret.
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  endpoint_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  url TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  org_id TEXT NOT NULL,
  at INTEGER NOT NULL,
  action TEXT NOT NULL,
  event_type TEXT,
  actor_kind TEXT NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  target_kind TEXT NOT NULL,
  target_id TEXT NOT NULL,
  target_name TEXT,
  owner_kind TEXT,
  owner_id TEXT,
  source_ip TEXT,
  user_agent TEXT,
  channel TEXT,
  correlation_id TEXT,
  causation_id TEXT,
  event_id TEXT,
  details TEXT NOT NULL
);

-- The audit log is append-only: nothing may edit or delete an entry (a rebuild drops the table).
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit entries are never edited'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit entries are never deleted'); END;
`;

/** Secondary indexes: a rebuild creates them after the replay, by sorting, which is much faster. */
export const INDEXES = `
CREATE INDEX IF NOT EXISTS service_accounts_by_name
  ON service_accounts (org_id, status, name_lower, account_id);
CREATE INDEX IF NOT EXISTS service_accounts_by_org_name
  ON service_accounts (org_id, name_lower, account_id);
CREATE INDEX IF NOT EXISTS keys_by_owner ON keys (org_id, owner_kind, owner_id, created_at, key_id);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit_log (org_id, at, seq);
CREATE INDEX IF NOT EXISTS audit_by_actor ON audit_log (org_id, actor_id, at, seq);
CREATE INDEX IF NOT EXISTS audit_by_target ON audit_log (org_id, target_id, at, seq);
CREATE INDEX IF NOT EXISTS audit_by_owner ON audit_log (org_id, owner_id, at, seq);
CREATE INDEX IF NOT EXISTS audit_by_action ON audit_log (org_id, action, at, seq);
`;

export const SCHEMA = TABLES + INDEXES;
