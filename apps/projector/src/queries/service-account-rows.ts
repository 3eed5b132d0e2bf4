import type { ServiceAccountView } from '@keyward/messaging';
import { activeKeyCountSql, lastUsedSql, seconds, secondsOrNull } from './views';

export const SERVICE_ACCOUNT_COLUMNS = `sa.account_id, sa.name, sa.name_lower, sa.description,
  sa.role, sa.permissions, sa.resources, sa.enable_basic_auth, sa.status, sa.created_at,
  sa.created_by_kind, sa.created_by_id, sa.updated_at, sa.deleted_at,
  ${activeKeyCountSql('serviceAccount', 'sa.account_id', 'sa.org_id')} AS active_keys,
  ${lastUsedSql('serviceAccount', 'sa.account_id', 'sa.org_id')} AS last_used_at`;

export interface ServiceAccountRow {
  account_id: string;
  name: string;
  name_lower: string;
  description: string;
  role: string;
  permissions: string;
  resources: string;
  enable_basic_auth: number;
  status: 'active' | 'deleted';
  created_at: number;
  created_by_kind: string;
  created_by_id: string | null;
  updated_at: number;
  deleted_at: number | null;
  active_keys: number;
  last_used_at: number | null;
}

export function serviceAccountView(row: ServiceAccountRow): ServiceAccountView {
  return {
    id: row.account_id,
    name: row.name,
    description: row.description,
    enableBasicAuth: row.enable_basic_auth === 1,
    role: row.role,
    permissions: JSON.parse(row.permissions) as string[],
    resources: JSON.parse(row.resources) as string[],
    status: row.status,
    created: seconds(row.created_at),
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    updated: seconds(row.updated_at),
    deleted: secondsOrNull(row.deleted_at),
    activeKeys: row.active_keys,
    lastUsed: secondsOrNull(row.last_used_at),
  };
}
