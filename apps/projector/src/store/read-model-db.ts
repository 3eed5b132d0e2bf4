import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { INDEXES, READ_MODEL_TABLES, READ_MODEL_VERSION, SCHEMA, TABLES } from './schema';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /**
   * Told when the file held read models of another version (`stored`: null for a file from
   * before versions were recorded), which were just dropped to be replayed.
   */
  onVersionChange?: (stored: string | null, current: number) => void;
}

/**
 * Opens (creating if needed) the read-model file in WAL mode with the current schema. A file of
 * another READ_MODEL_VERSION is emptied first (see schema.ts), so whoever follows the store and
 * the usage stream next replays both from the start.
 */
export function openReadModelDb(path: string, options: OpenOptions = {}): Db {
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
  dropOtherVersion(db, options.onVersionChange);
  return db;
}

const VERSION_KEY = 'read_model_version';

function dropOtherVersion(db: Db, onVersionChange: OpenOptions['onVersionChange']): void {
  const current = String(READ_MODEL_VERSION);
  const stored =
    (db.prepare(`SELECT value FROM meta WHERE name = ?`).pluck().get(VERSION_KEY) as
      string | undefined) ?? null;
  if (stored === current) return;
  // A file without a version and without checkpoints is new: nothing was derived into it yet.
  const derived = stored !== null || db.prepare(`SELECT 1 FROM checkpoints LIMIT 1`).get();
  db.transaction(() => {
    if (derived) {
      dropReadModels(db);
      createIndexes(db);
    }
    db.prepare(
      `INSERT INTO meta (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ).run(VERSION_KEY, current);
  })();
  if (derived) onVersionChange?.(stored, READ_MODEL_VERSION);
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
