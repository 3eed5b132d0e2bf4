import type { KeyStatus, KeyView, PrincipalView } from '@keyward/messaging';
import { AppError } from '@keyward/transport';

export const seconds = (ms: number): number => Math.floor(ms / 1000);
export const secondsOrNull = (ms: number | null): number | null =>
  ms === null ? null : seconds(ms);

/** The key columns every key query selects, with its usage. */
export const KEY_COLUMNS = `k.key_id, k.owner_kind, k.owner_id, k.name, k.description, k.hint,
  k.created_at, k.created_by_kind, k.created_by_id, k.expires_at, k.revoked_at, k.revoked_by_kind,
  k.revoked_by_id, k.revoked_reason, k.succeeds, k.succeeded_by, u.last_used_at, coalesce(u.uses, 0) AS uses,
  coalesce(u.refused, 0) AS refused, u.last_refused_at`;

export const KEY_FROM = `keys k LEFT JOIN key_usage u ON u.key_id = k.key_id AND u.org_id = k.org_id`;

/** SQL for a key status; `@now` is now in epoch ms. */
export const KEY_STATUS_SQL: Record<KeyStatus, string> = {
  active: `k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > @now)`,
  revoked: `k.revoked_at IS NOT NULL`,
  expired: `k.revoked_at IS NULL AND k.expires_at <= @now`,
};

export interface KeyRow {
  key_id: string;
  owner_kind: 'member' | 'serviceAccount';
  owner_id: string;
  name: string;
  description: string;
  hint: string;
  created_at: number;
  created_by_kind: string;
  created_by_id: string | null;
  expires_at: number | null;
  revoked_at: number | null;
  revoked_by_kind: string | null;
  revoked_by_id: string | null;
  revoked_reason: string | null;
  succeeds: string | null;
  succeeded_by: string | null;
  last_used_at: number | null;
  uses: number;
  refused: number;
  last_refused_at: number | null;
}

/** A key's status at `now` (epoch ms), as KEY_STATUS_SQL decides it. */
export function keyStatus(row: Pick<KeyRow, 'revoked_at' | 'expires_at'>, now: number): KeyStatus {
  if (row.revoked_at !== null) return 'revoked';
  return row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
}

export function keyView(row: KeyRow, now: number): KeyView {
  const status = keyStatus(row, now);
  return {
    keyId: row.key_id,
    owner: { kind: row.owner_kind, id: row.owner_id },
    name: row.name,
    description: row.description,
    hint: row.hint,
    status,
    created: seconds(row.created_at),
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    expiresAt: secondsOrNull(row.expires_at),
    lastUsed: secondsOrNull(row.last_used_at),
    uses: row.uses,
    refused: row.refused,
    lastRefused: secondsOrNull(row.last_refused_at),
    revoked:
      row.revoked_at === null
        ? null
        : {
            at: seconds(row.revoked_at),
            by: { kind: row.revoked_by_kind ?? 'operator', id: row.revoked_by_id },
            reason: row.revoked_reason ?? 'manual',
          },
    succeeds: row.succeeds,
    succeededBy: row.succeeded_by,
  };
}

/** Active keys of one owner at `now`, as a correlated subquery on `owner`. */
/** SQL for the latest accepted use of any key of one owner (null when none was ever used). */
export function lastUsedSql(ownerKind: string, ownerIdColumn: string, orgColumn: string): string {
  return `(SELECT max(u.last_used_at) FROM keys k JOIN key_usage u ON u.key_id = k.key_id
    AND u.org_id = k.org_id WHERE k.org_id = ${orgColumn} AND k.owner_kind = '${ownerKind}'
    AND k.owner_id = ${ownerIdColumn})`;
}

export function activeKeyCountSql(
  ownerKind: string,
  ownerIdColumn: string,
  orgColumn: string,
): string {
  return `(SELECT count(*) FROM keys k WHERE k.org_id = ${orgColumn} AND k.owner_kind = '${ownerKind}'
    AND k.owner_id = ${ownerIdColumn} AND k.revoked_at IS NULL
    AND (k.expires_at IS NULL OR k.expires_at > @now))`;
}

/**
 * SQL for the current name or status of the principal in a kind/id column pair (a member's
 * display name, a service account's name), as a correlated subquery within `orgColumn`'s org.
 */
export const principalNow = (
  kind: string,
  id: string,
  orgColumn: string,
  column: 'name' | 'status',
) => `CASE ${kind}
  WHEN 'member' THEN (SELECT ${column === 'name' ? 'display_name' : 'status'} FROM members
    WHERE org_id = ${orgColumn} AND user_id = ${id})
  WHEN 'serviceAccount' THEN (SELECT ${column} FROM service_accounts
    WHERE org_id = ${orgColumn} AND account_id = ${id}) END`;

/** A principal as queries show it: itself, its current name, and whether it is active now. */
export function principal(
  kind: string,
  id: string,
  name: string | null,
  status: string | null,
): PrincipalView {
  return {
    kind: kind === 'member' ? 'member' : 'serviceAccount',
    id,
    name,
    active: status === 'active',
  };
}

/** What every query answers for a service account that is not in the caller's organization. */
export function serviceAccountNotFound(id: string): AppError {
  return new AppError(
    'SERVICE_ACCOUNT.NOT_FOUND',
    'not_found',
    `service account ${id} was not found`,
  );
}
