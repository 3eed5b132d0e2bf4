import type { Decider, DomainEvent } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import { foldEvents, type DecodeEvent, type FoldedStream } from './folded-stream';

const CAPACITY = 10_000;

interface PendingRead {
  readers: number;
  /** Events the follower applied while the read was under way. */
  seen: RecordedEvent[];
}

/**
 * Two deciders fold a stream to the same state when they share evolve and initial state (the
 * leak-report deciders reuse the owner deciders' fold with a decide of their own).
 */
function sameFold(
  a: Pick<Decider<never, DomainEvent, unknown>, 'evolve' | 'initialState'>,
  b: Pick<Decider<never, DomainEvent, unknown>, 'evolve' | 'initialState'>,
): boolean {
  return a === b || (a.evolve === b.evolve && a.initialState === b.initialState);
}

/**
 * Folded streams kept current by the store follower, least recently used dropped first.
 * A stream read from the store is merged with whatever the follower applied to it during the
 * read, so no event can fall between the read and the live feed. Appends are still checked
 * against the store's revision: a stale entry could only cost a retry.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, FoldedStream<unknown>>();
  private readonly pending = new Map<string, PendingRead>();

  constructor(private readonly decode: DecodeEvent) {}

  get<S>(streamName: string, decider: Decider<never, DomainEvent, S>): FoldedStream<S> | undefined {
    const entry = this.entries.get(streamName);
    if (!entry || !sameFold(entry.decider, decider)) return undefined;
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    return entry as FoldedStream<S>;
  }

  /** Called by the follower for every event, in store order. */
  apply(event: RecordedEvent): void {
    this.pending.get(event.streamName)?.seen.push(event);
    const entry = this.entries.get(event.streamName);
    if (!entry || event.revision < entry.nextRevision) return;
    if (event.revision > entry.nextRevision) this.entries.delete(event.streamName);
    else this.entries.set(event.streamName, foldEvents(entry, [event], this.decode));
  }

  beginRead(streamName: string): void {
    const read = this.pending.get(streamName) ?? { readers: 0, seen: [] };
    read.readers += 1;
    this.pending.set(streamName, read);
  }

  /** Ends a read begun with `beginRead`; returns the read fold plus what the follower saw since. */
  endRead<S>(streamName: string, read: FoldedStream<S> | null): FoldedStream<S> | null {
    const pending = this.pending.get(streamName);
    if (pending && --pending.readers === 0) this.pending.delete(streamName);
    if (read === null) return null;
    const later = (pending?.seen ?? []).filter((e) => e.revision >= read.nextRevision);
    const contiguous = later.every((e, i) => e.revision === read.nextRevision + BigInt(i));
    const merged = contiguous ? foldEvents(read, later, this.decode) : read;
    if (contiguous) this.set(streamName, merged);
    return merged;
  }

  set<S>(streamName: string, folded: FoldedStream<S>): void {
    const known = this.entries.get(streamName);
    if (
      known &&
      sameFold(known.decider, folded.decider) &&
      known.nextRevision > folded.nextRevision
    )
      return;
    this.entries.delete(streamName);
    this.entries.set(streamName, folded as FoldedStream<unknown>);
    if (this.entries.size > CAPACITY)
      this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(streamName: string): void {
    this.entries.delete(streamName);
  }
}
