import type { Decider, DomainEvent } from '@keyward/domain';
import type { FoldedStream } from './folded-stream';

const CAPACITY = 10_000;

/**
 * Folded streams kept between commands, least recently used dropped first. An entry is only a
 * starting point: readers fetch what was appended after it, and appends are still checked
 * against the store's revision, so a stale entry costs a retry, never a wrong decision.
 */
export class StreamStateCache {
  private readonly entries = new Map<string, FoldedStream<unknown>>();

  get<S>(streamName: string, decider: Decider<never, DomainEvent, S>): FoldedStream<S> | undefined {
    const entry = this.entries.get(streamName);
    if (!entry || entry.decider !== decider) return undefined;
    this.entries.delete(streamName);
    this.entries.set(streamName, entry);
    return entry as FoldedStream<S>;
  }

  set<S>(streamName: string, folded: FoldedStream<S>): void {
    const known = this.entries.get(streamName);
    if (known && known.decider === folded.decider && known.nextRevision > folded.nextRevision)
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
