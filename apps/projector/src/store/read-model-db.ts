import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { INDEXES, READ_MODEL_TABLES, SCHEMA, TABLES } from './schema';

export type Db = Database.Database;

/** Opens (creating if needed) the read-model file in WAL mode with the current schema. */
export function openReadModelDb(path: string, options: { readonly?: boolean } = {}): Db {
  if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (options.readonly) return db;
  db.pragma('journal_mode = WAL');
  // With WAL, NORMAL keeps every commit atomic and consistent across a crash of this process;
  // only an OS crash can lose the last commits, which the checkpoint then replays.
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  // Fewer, larger WAL checkpoints: a replay writes many pages, most of them several times.
  db.pragma('wal_autocheckpoint = 10000');
  db.exec(SCHEMA);
  return db;
}

/**
 * For a rebuild only: commits stop waiting for the disk at all. A crash of this process still
 * loses nothing committed; a power loss mid-rebuild can corrupt the file, and the answer is to
 * run the rebuild again, which starts from nothing anyway.
 */
export function forRebuild(db: Db): Db {
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  return db;
}

/**
 * Drops every read model and the checkpoints (meta, holding the cursor secret, stays) and
 * creates them empty, without their secondary indexes: call `createIndexes` after the replay.
 */
export function dropReadModels(db: Db): void {
  db.transaction(() => {
    for (const table of READ_MODEL_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  })();
  db.exec(TABLES);
}

export function createIndexes(db: Db): void {
  db.exec(INDEXES);
}

/** Before replaying into an empty file: rows go in faster without secondary indexes. */
export function dropIndexes(db: Db): void {
  for (const [, name] of INDEXES.matchAll(/CREATE INDEX IF NOT EXISTS (\w+)/g)) {
    db.exec(`DROP INDEX IF EXISTS ${name}`);
  }
}
