/**
 * The wire server's storage: one in-memory transaction log, laid out like EventStoreDB's.
 * Positions are byte offsets; every event of one append shares the append's commit position
 * (the offset of its first prepare) and has its own prepare position, as EventStoreDB reports
 * them for an implicit transaction.
 */
export interface StoredEvent {
  id: string;
  streamName: string;
  revision: bigint;
  commit: bigint;
  prepare: bigint;
  type: string;
  contentType: string;
  created: bigint;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

/** AppendReq.Options.expected_stream_revision: revision = 2, no_stream = 3, any = 4, stream_exists = 5. */
export type Expected = bigint | 'no_stream' | 'any' | 'stream_exists';

export type AppendOutcome =
  | { kind: 'success'; currentRevision: bigint; commit: bigint; prepare: bigint }
  | { kind: 'wrong-expected-version'; current: bigint | 'no_stream' };

export type LogPosition = { commit: bigint; prepare: bigint };

export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.commit === b.commit
    ? Number(a.prepare > b.prepare) - Number(a.prepare < b.prepare)
    : Number(a.commit > b.commit) - Number(a.commit < b.commit);

const RECORD_OVERHEAD = 120n;
const TICKS_AT_UNIX_EPOCH = 621_355_968_000_000_000n;

export class EventLog {
  readonly events: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly appendResults = new Map<string, AppendOutcome>();
  private readonly listeners = new Set<(events: readonly StoredEvent[]) => void>();
  private end = 0n;

  stream(name: string): readonly StoredEvent[] | undefined {
    return this.streams.get(name);
  }

  onAppended(listener: (events: readonly StoredEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /*
   * EventStoreDB's optimistic concurrency and idempotence (IndexWriter.CheckCommit): when the
   * proposed ids are exactly the events that follow the expected revision, the write is
   * idempotent and answers as the original did; a partial match is a wrong expected version.
   */
  append(
    streamName: string,
    expected: Expected,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome {
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length === 0 ? -1n : BigInt(stream.length - 1);
    const expectedNumber = expected === 'no_stream' ? -1n : expected;
    const wrong = (): AppendOutcome => ({
      kind: 'wrong-expected-version',
      current: current < 0n ? 'no_stream' : current,
    });
    if (typeof expectedNumber === 'bigint' && expectedNumber !== current) {
      if (expectedNumber > current) return wrong();
      return this.idempotentResult(stream, expectedNumber, proposed) ?? wrong();
    }
    if (expected === 'stream_exists' && current < 0n) return wrong();
    if (expected === 'any' && proposed.length > 0) {
      const first = stream.findIndex((event) => event.id === proposed[0].id);
      if (first >= 0) return this.idempotentResult(stream, BigInt(first) - 1n, proposed) ?? wrong();
    }
    return this.write(streamName, stream, proposed);
  }

  private idempotentResult(
    stream: readonly StoredEvent[],
    after: bigint,
    proposed: readonly ProposedEvent[],
  ): AppendOutcome | undefined {
    const following = stream.slice(Number(after + 1n), Number(after + 1n) + proposed.length);
    const same =
      following.length === proposed.length &&
      following.every((event, index) => event.id === proposed[index].id);
    return same ? this.appendResults.get(following[following.length - 1].id) : undefined;
  }

  private write(
    streamName: string,
    stream: StoredEvent[],
    proposed: readonly ProposedEvent[],
  ): AppendOutcome {
    const commit = this.end;
    const created = BigInt(Date.now()) * 10_000n + TICKS_AT_UNIX_EPOCH;
    const written = proposed.map((event, index): StoredEvent => {
      const prepare = this.end;
      this.end += RECORD_OVERHEAD + BigInt(event.data.length + event.customMetadata.length);
      return {
        ...event,
        streamName,
        revision: BigInt(stream.length + index),
        commit,
        prepare,
        created,
      };
    });
    stream.push(...written);
    this.streams.set(streamName, stream);
    this.events.push(...written);
    const last = written[written.length - 1];
    // AppendResp.Success carries the transaction's position: commit and first prepare.
    const outcome: AppendOutcome = {
      kind: 'success',
      currentRevision: last.revision,
      commit,
      prepare: commit,
    };
    for (const event of written) this.appendResults.set(event.id, outcome);
    for (const listener of this.listeners) listener(written);
    return outcome;
  }
}
