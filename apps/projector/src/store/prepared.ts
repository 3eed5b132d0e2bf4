import type { Statement } from 'better-sqlite3';
import type { Db } from './read-model-db';

/** How a statement returns rows: objects, arrays (`raw`), or the first column (`pluck`). */
export type RowMode = 'objects' | 'raw' | 'pluck';

/** Beyond this many distinct statements per database the cache starts again (a safety bound). */
const MAX_STATEMENTS = 256;

const cache = new WeakMap<Db, Map<string, Statement>>();

/**
 * `db.prepare(sql)`, compiled once per database and kept. better-sqlite3 compiles the SQL on
 * every `prepare`, and a query handler that prepared its SELECTs on each request spent more
 * time compiling than running them (13 % of the projector's CPU under a GET load). Queries use
 * a bounded set of statement texts (values are always bound parameters), so the cache stays
 * small; the row mode is part of the key because it is a setting of the statement object.
 * SQLite recompiles a kept statement by itself when the schema changes. Not for statements
 * that are iterated (`iterate()`): one statement cannot run twice at once.
 */
export function prepared(db: Db, sql: string, mode: RowMode = 'objects'): Statement {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  const key = `${mode}:${sql}`;
  let statement = statements.get(key);
  if (!statement) {
    if (statements.size >= MAX_STATEMENTS) statements.clear();
    statement = db.prepare(sql);
    if (mode === 'raw') statement.raw();
    if (mode === 'pluck') statement.pluck();
    statements.set(key, statement);
  }
  return statement;
}
