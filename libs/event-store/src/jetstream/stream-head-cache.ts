import type { Revision } from '../event-store.port';

/** Where a stream ended when last seen: its last revision and its last commit's sequence. */
export interface StreamHead {
  revision: Revision;
  lastSubjectSequence: number;
}

/*
 * A revision always maps to the same commit, so an entry is never wrong, only possibly behind:
 * an append that uses it is still checked by the server. Least recently used entries go first.
 */
export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity: number) {}

  get(streamName: string): StreamHead | undefined {
    const head = this.heads.get(streamName);
    if (head) {
      this.heads.delete(streamName);
      this.heads.set(streamName, head);
    }
    return head;
  }

  /** Keeps the newer of the cached and the given head. */
  remember(streamName: string, head: StreamHead): void {
    const known = this.heads.get(streamName);
    if (known && known.lastSubjectSequence > head.lastSubjectSequence) return;
    this.heads.delete(streamName);
    this.heads.set(streamName, head);
    if (this.heads.size > this.capacity) {
      this.heads.delete(this.heads.keys().next().value as string);
    }
  }

  forget(streamName: string): void {
    this.heads.delete(streamName);
  }
}
