import type { Statement } from 'better-sqlite3';

/** An audit_log row, in column order (positional binding is the fastest). */
export type AuditRow = [
  seq: number,
  orgId: string,
  at: number,
  action: string,
  eventType: string | null,
  actorKind: string,
  actorId: string | null,
  actorName: string | null,
  targetKind: string,
  targetId: string,
  targetName: string | null,
  ownerKind: string | null,
  ownerId: string | null,
  sourceIp: string | null,
  userAgent: string | null,
  channel: string | null,
  correlationId: string | null,
  causationId: string | null,
  eventId: string | null,
  details: string,
];
import type { Db } from '../store/read-model-db';

/** Every write the reducers make, prepared once per database. */
export class ReadModelStatements {
  readonly insertOrganization: Statement;
  readonly setPolicy: Statement;
  readonly insertRole: Statement;
  readonly upsertMember: Statement;
  readonly changeMemberGrants: Statement;
  readonly removeMember: Statement;
  readonly memberName: Statement;
  readonly insertServiceAccount: Statement;
  readonly updateServiceAccount: Statement;
  readonly deleteServiceAccount: Statement;
  readonly serviceAccountName: Statement;
  readonly insertKey: Statement;
  readonly revokeKey: Statement;
  readonly rotateKey: Statement;
  readonly linkSuccessor: Statement;
  readonly keyName: Statement;
  readonly upsertWebhookEndpoint: Statement;
  readonly setWebhookEndpointUrl: Statement;
  readonly webhookEndpointUrl: Statement;
  readonly insertAudit: Statement;
  readonly addUsage: Statement;
  readonly addDailyUsage: Statement;

  constructor(db: Db) {
    this.insertOrganization = db.prepare(
      `INSERT OR IGNORE INTO organizations (org_id, name, created_at) VALUES (?, ?, ?)`,
    );
    this.setPolicy = db.prepare(
      `UPDATE organizations SET max_active_keys = ?, max_key_lifetime_s = ?, allowed_sa_roles = ?,
         expiry_notice_s = ?
       WHERE org_id = ?`,
    );
    this.insertRole = db.prepare(
      `INSERT OR IGNORE INTO roles (org_id, name, permissions, defined_at) VALUES (?, ?, ?, ?)`,
    );
    this.upsertMember = db.prepare(
      `INSERT INTO members (org_id, user_id, display_name, org_role, grants, status, added_at)
       VALUES (?, ?, ?, ?, ?, 'active', ?)
       ON CONFLICT (org_id, user_id) DO UPDATE SET display_name = excluded.display_name,
         org_role = excluded.org_role, grants = excluded.grants, status = 'active',
         added_at = excluded.added_at, removed_at = NULL`,
    );
    this.changeMemberGrants = db.prepare(
      `UPDATE members SET org_role = ?, grants = ? WHERE org_id = ? AND user_id = ?`,
    );
    this.removeMember = db.prepare(
      `UPDATE members SET status = 'removed', removed_at = ? WHERE org_id = ? AND user_id = ?`,
    );
    this.memberName = db
      .prepare(`SELECT display_name FROM members WHERE org_id = ? AND user_id = ?`)
      .pluck();
    this.insertServiceAccount = db.prepare(
      `INSERT OR IGNORE INTO service_accounts (account_id, org_id, name, name_lower, description,
         role, permissions, resources, enable_basic_auth, status, created_at, created_by_kind,
         created_by_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
    );
    this.updateServiceAccount = db.prepare(
      `UPDATE service_accounts SET name = coalesce(?, name), name_lower = coalesce(?, name_lower),
         description = coalesce(?, description), updated_at = ?
       WHERE account_id = ? AND org_id = ?`,
    );
    this.deleteServiceAccount = db.prepare(
      `UPDATE service_accounts SET status = 'deleted', deleted_at = ?, updated_at = ?
       WHERE account_id = ? AND org_id = ?`,
    );
    this.serviceAccountName = db
      .prepare(`SELECT name FROM service_accounts WHERE account_id = ? AND org_id = ?`)
      .pluck();
    this.insertKey = db.prepare(
      `INSERT OR IGNORE INTO keys (key_id, org_id, owner_kind, owner_id, name, description, hint,
         created_at, created_by_kind, created_by_id, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.revokeKey = db.prepare(
      `UPDATE keys SET revoked_at = ?, revoked_by_kind = ?, revoked_by_id = ?, revoked_reason = ?
       WHERE key_id = ? AND org_id = ? AND revoked_at IS NULL`,
    );
    this.rotateKey = db.prepare(
      `UPDATE keys SET expires_at = ?, succeeded_by = ? WHERE key_id = ? AND org_id = ?`,
    );
    this.linkSuccessor = db.prepare(`UPDATE keys SET succeeds = ? WHERE key_id = ? AND org_id = ?`);
    this.keyName = db.prepare(`SELECT name FROM keys WHERE key_id = ? AND org_id = ?`).pluck();
    this.upsertWebhookEndpoint = db.prepare(
      `INSERT INTO webhook_endpoints (endpoint_id, org_id, url) VALUES (?, ?, ?)
       ON CONFLICT (endpoint_id) DO NOTHING`,
    );
    this.setWebhookEndpointUrl = db.prepare(
      `UPDATE webhook_endpoints SET url = ? WHERE endpoint_id = ? AND org_id = ?`,
    );
    this.webhookEndpointUrl = db
      .prepare(`SELECT url FROM webhook_endpoints WHERE endpoint_id = ? AND org_id = ?`)
      .pluck();
    this.insertAudit = db.prepare(
      `INSERT OR IGNORE INTO audit_log (seq, org_id, at, action, event_type, actor_kind, actor_id,
         actor_name, target_kind, target_id, target_name, owner_kind, owner_id, source_ip,
         user_agent, channel, correlation_id, causation_id, event_id, details)
       VALUES (${'?, '.repeat(19)}?)`,
    );
    this.addUsage = db.prepare(
      `INSERT INTO key_usage (key_id, org_id, last_used_at, uses, refused, last_refused_at)
       VALUES (@keyId, @orgId, @lastUsedAt, @uses, @refused, @lastRefusedAt)
       ON CONFLICT (key_id) DO UPDATE SET
         last_used_at = max(coalesce(last_used_at, excluded.last_used_at), coalesce(excluded.last_used_at, last_used_at)),
         uses = uses + excluded.uses,
         refused = refused + excluded.refused,
         last_refused_at = max(coalesce(last_refused_at, excluded.last_refused_at), coalesce(excluded.last_refused_at, last_refused_at))
       WHERE org_id = excluded.org_id`,
    );
    this.addDailyUsage = db.prepare(
      `INSERT INTO key_usage_daily (org_id, key_id, day, uses, refused)
       VALUES (@orgId, @keyId, @day, @uses, @refused)
       ON CONFLICT (org_id, key_id, day) DO UPDATE SET
         uses = uses + excluded.uses,
         refused = refused + excluded.refused`,
    );
  }
}
