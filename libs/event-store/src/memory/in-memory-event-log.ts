import { WrongExpectedRevisionError } from '../errors';
import type {
  AppendResult,
  EventToAppend,
  ExpectedRevision,
  Position,
  RecordedEvent,
} from '../event-store.port';

/**
 * The storage behind one or more InMemoryEventStore instances: every event in commit order,
 * each stream's events, and who is waiting for the next commit. Kept apart from the store so
 * that a second store over the same log is "another instance that has seen nothing", as the
 * contract's `reopen` asks.
 *
 * An append checks and commits synchronously, so concurrent appends are linearised in call
 * order and exactly one of several at the same revision wins, as on a real server.
 */
export class InMemoryEventLog {
  /** Every event, in position order: positions are 1n, 2n, … so `all[i].position` is i + 1. */
  private readonly all: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private waiting: (() => void)[] = [];

  append(
    streamName: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): AppendResult {
    if (events.length === 0) throw new RangeError('an append needs at least one event');
    const stream = this.streams.get(streamName) ?? [];
    const head = stream.length === 0 ? 'no_stream' : BigInt(stream.length - 1);
    if (expected !== 'any' && expected !== head) {
      return this.retried(streamName, stream, events, expected, head);
    }
    const recorded = events.map((event, index) =>
      record(event, streamName, BigInt(stream.length + index), BigInt(this.all.length + index + 1)),
    );
    stream.push(...recorded);
    this.streams.set(streamName, stream);
    this.all.push(...recorded);
    this.wakeWaiting();
    const last = recorded[recorded.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  /** Copies, so a caller mutating what it read cannot change the store. */
  readStream(streamName: string, fromRevision = 0n): RecordedEvent[] {
    const stream = this.streams.get(streamName) ?? [];
    return stream.slice(Number(fromRevision)).map(copyRecorded);
  }

  headPosition(): Position | null {
    return this.all.length === 0 ? null : BigInt(this.all.length);
  }

  /** How many events are committed: the index the next one will have in `eventAt`. */
  length(): number {
    return this.all.length;
  }

  eventAt(index: number): RecordedEvent {
    return copyRecorded(this.all[index]);
  }

  /** Index of the first event strictly after `position` (0 for 'start'). */
  indexAfter(position: Position | 'start'): number {
    if (position === 'start' || position < 1n) return 0;
    return Math.min(Number(position), this.all.length);
  }

  /** Resolves at the next commit; `cancel` resolves it early (a subscription being stopped). */
  nextCommit(): { committed: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const committed = new Promise<void>((resolve) => (wake = resolve));
    this.waiting.push(wake);
    return { committed, cancel: wake };
  }

  /**
   * EventStoreDB's rule, which the JetStream adapter follows too: the same events (by id)
   * already right after the expected revision make the append a no-op returning their result.
   */
  private retried(
    streamName: string,
    stream: RecordedEvent[],
    events: readonly EventToAppend[],
    expected: Exclude<ExpectedRevision, 'any'>,
    head: bigint | 'no_stream',
  ): AppendResult {
    const from = expected === 'no_stream' ? 0 : Number(expected) + 1;
    const candidates = stream.slice(from, from + events.length);
    const same =
      candidates.length === events.length && candidates.every((e, i) => e.id === events[i].id);
    if (!same) throw new WrongExpectedRevisionError(streamName, expected, head);
    const last = candidates[candidates.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position };
  }

  private wakeWaiting(): void {
    const waiting = this.waiting;
    this.waiting = [];
    waiting.forEach((wake) => wake());
  }
}

/**
 * The real adapters store JSON: a value goes in and comes out as its JSON copy (undefined
 * properties dropped, dates as strings). Doing the same here keeps tests on this store from
 * passing on values the real stores would change.
 */
function viaJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function record(
  event: EventToAppend,
  streamName: string,
  revision: bigint,
  position: Position,
): RecordedEvent {
  const { id, type, data, metadata } = event;
  return {
    id,
    type,
    data: viaJson(data),
    metadata: viaJson(metadata),
    streamName,
    revision,
    position,
  };
}

function copyRecorded(event: RecordedEvent): RecordedEvent {
  return { ...event, data: viaJson(event.data), metadata: viaJson(event.metadata) };
}
