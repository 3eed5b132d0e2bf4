import { createHash } from 'node:crypto';
import type { Db } from './read-model-db';
import { READ_MODEL_TABLES } from './schema';

const ORDER_BY: Record<(typeof READ_MODEL_TABLES)[number], string> = {
  organizations: 'org_id',
  roles: 'org_id, name',
  members: 'org_id, user_id',
  service_accounts: 'account_id',
  keys: 'key_id',
  key_usage: 'key_id',
  key_usage_daily: 'org_id, key_id, day',
  webhook_endpoints: 'endpoint_id',
  audit_log: 'seq',
  checkpoints: 'name',
};

export interface TableDigest {
  table: string;
  rows: number;
  sha256: string;
}

export interface Digest {
  tables: TableDigest[];
  /** sha256 over the tables' digests, in table order. */
  sha256: string;
}

/** A sha256 of every read-model table over its rows in primary-key order: equal means identical. */
export function digestReadModels(db: Db): Digest {
  const read = db.transaction(() =>
    READ_MODEL_TABLES.map((table): TableDigest => {
      const hash = createHash('sha256');
      let rows = 0;
      const statement = db.prepare(`SELECT * FROM ${table} ORDER BY ${ORDER_BY[table]}`).raw();
      for (const row of statement.iterate()) {
        hash.update(JSON.stringify(row));
        hash.update('\n');
        rows++;
      }
      return { table, rows, sha256: hash.digest('hex') };
    }),
  );
  const tables = read();
  const all = createHash('sha256');
  for (const t of tables) all.update(`${t.table}:${t.rows}:${t.sha256}\n`);
  return { tables, sha256: all.digest('hex') };
}
