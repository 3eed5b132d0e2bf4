import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * The notifier's durable checkpoint: the store position up to which every notification was
 * acknowledged by JetStream. One row in a small SQLite file (WAL); written only after the
 * acknowledgements, so a crash publishes again rather than loses.
 */
export class CheckpointStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement;
  private readonly upsert: Database.Statement;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('journal_mode = WAL');
    // A crash of this process loses no commit; an OS crash may lose the last ones, which are
    // then published again (at least once).
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL)`,
    );
    this.select = this.db.prepare(`SELECT position FROM checkpoints WHERE name = 'events'`).pluck();
    this.upsert = this.db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES ('events', ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
  }

  /** The last position whose notification (if any) is acknowledged; null: nothing yet. */
  read(): bigint | null {
    const stored = this.select.get() as string | undefined;
    return stored === undefined ? null : BigInt(stored);
  }

  write(position: bigint): void {
    this.upsert.run(position.toString());
  }

  close(): void {
    this.db.close();
  }
}
