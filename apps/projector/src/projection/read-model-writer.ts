import type { KeyUsageRollup } from '@keyward/messaging';
import type { RecordedEvent } from '@keyward/event-store';
import { appendEventAuditEntry } from '../projections/audit-projection';
import { toAppliedEvent, type AppliedEvent } from '../projections/applied-event';
import { READ_MODEL_PROJECTIONS } from '../projections';
import { ReadModelStatements } from '../projections/read-model-statements';
import { applyUsageRollup } from '../projections/usage-projection';
import type { Db } from '../store/read-model-db';

export const EVENTS_CHECKPOINT = 'events';
export const USAGE_CHECKPOINT = 'usage';

export interface UsageMessage {
  sequence: number;
  /** Null for a message that is not a rollup: it is skipped, and the checkpoint passes it. */
  rollup: KeyUsageRollup | null;
}

/**
 * Applies batches to the read models. Each batch and its checkpoint commit in one SQLite
 * transaction, and anything at or below the stored checkpoint is skipped, so a batch applied
 * twice (a crash between commit and acknowledgement, a resubscription) changes nothing.
 */
export class ReadModelWriter {
  private readonly sql: ReadModelStatements;
  private readonly reducers: ReadonlyMap<string, readonly AnyReducer[]>;
  private readonly getCheckpoint;
  private readonly setCheckpoint;
  readonly applyEvents: (events: readonly RecordedEvent[]) => number;
  readonly applyUsage: (messages: readonly UsageMessage[]) => number;

  constructor(db: Db) {
    this.sql = new ReadModelStatements(db);
    this.reducers = reducersByType();
    this.getCheckpoint = db.prepare(`SELECT position FROM checkpoints WHERE name = ?`).pluck();
    this.setCheckpoint = db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.applyEvents = db.transaction((events: readonly RecordedEvent[]) => this.events(events));
    this.applyUsage = db.transaction((messages: readonly UsageMessage[]) => this.usage(messages));
  }

  checkpoint(name: string): number | null {
    return (this.getCheckpoint.get(name) as number | undefined) ?? null;
  }

  private events(events: readonly RecordedEvent[]): number {
    const after = this.checkpoint(EVENTS_CHECKPOINT) ?? -1;
    let last = after;
    for (const recorded of events) {
      const event = toAppliedEvent(recorded);
      if (event === null) {
        // A type from a newer writer: skipped (toAppliedEvent said so), and passed.
        last = Math.max(last, Number(recorded.position));
        continue;
      }
      if (event.position <= last) continue;
      appendEventAuditEntry(this.sql, event);
      for (const reduce of this.reducers.get(event.type) ?? []) reduce(this.sql, event);
      last = event.position;
    }
    if (last > after) this.setCheckpoint.run(EVENTS_CHECKPOINT, last);
    return last;
  }

  private usage(messages: readonly UsageMessage[]): number {
    const after = this.checkpoint(USAGE_CHECKPOINT) ?? 0;
    let last = after;
    for (const { sequence, rollup } of messages) {
      if (sequence <= last) continue;
      if (rollup) applyUsageRollup(this.sql, sequence, rollup);
      last = sequence;
    }
    if (last > after) this.setCheckpoint.run(USAGE_CHECKPOINT, last);
    return last;
  }
}

/** A reducer looked up by the event's own type, so it always gets the data it is typed for. */
type AnyReducer = (sql: ReadModelStatements, event: AppliedEvent) => void;

function reducersByType(): Map<string, AnyReducer[]> {
  const byType = new Map<string, AnyReducer[]>();
  for (const projection of READ_MODEL_PROJECTIONS) {
    for (const [type, reducer] of Object.entries(projection)) {
      byType.set(type, [...(byType.get(type) ?? []), reducer as AnyReducer]);
    }
  }
  return byType;
}
