import { Inject, Injectable, Optional } from '@nestjs/common';
import { decodeEvent, type Decider, type DomainEvent } from '@keyward/domain';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type Position,
} from '@keyward/event-store';
import { EVENT_DECODER, EVENT_STORE, CLOCK, type Clock } from '../tokens';
import type { CommandContext } from './command-context';
import { asRecorded, envelope } from './envelope';
import { replayOfRetry } from './idempotent-replay';
import { IdempotencyLedger } from './idempotency-ledger';
import { KeyedQueue } from './keyed-queue';
import {
  emptyStream,
  foldEvents,
  type DecodeEvent,
  type FoldedStream,
  type RecordedAt,
} from './folded-stream';
import { StoreFollower } from '../store-follower/store-follower';
import { StreamStateCache } from './stream-state-cache';
import { storeFailure } from './store-failure';
import { AppError } from '@keyward/transport';
import { CommandMetrics } from '../metrics/command-metrics';

export interface PipelineRequest<C, E extends DomainEvent, S> {
  streamName: string;
  decider: Decider<C, E, S>;
  /** Names the command in metadata; with the idempotency key it identifies a retry. */
  commandType: string;
  /**
   * Built from the folded state alone, on every attempt, so a retry decides on fresh state
   * (reading other streams is fine; the stream's own events are only known through `state`).
   */
  command: (state: S) => C | Promise<C>;
  context: CommandContext;
  /** A load of this stream started earlier by the same request, used by the first attempt. */
  preloaded?: Promise<FoldedStream<S>>;
}

export interface PipelineResult<E, S> {
  /** The events this command appended, or those of the original run when `replayed`. */
  events: E[];
  state: S;
  position: Position | null;
  /** Epoch ms the events were (or, when replayed, had been) recorded; null when none. */
  occurredAt: number | null;
  /** Epoch ms the stream's first and latest events were recorded, this command's included. */
  recordedAt: RecordedAt | null;
  replayed: boolean;
}

const MAX_ATTEMPTS = 8;

/** At most this many requests are decided together and appended as one commit. */
const MAX_BATCH = 64;

/** A request waiting for its stream's turn, and how to answer it. */
interface Member {
  request: PipelineRequest<unknown, DomainEvent, unknown>;
  resolve: (result: PipelineResult<DomainEvent, unknown>) => void;
  reject: (error: unknown) => void;
}

/** What deciding one member came to, before the batch's append. */
type Decided =
  | { error: unknown }
  | { result: PipelineResult<DomainEvent, unknown> }
  | {
      events: DomainEvent[];
      envelopes: EventToAppend[];
      state: unknown;
      recordedAt: RecordedAt | null;
    };

/** The one way any command reaches the store: read, fold, decide, append with expected revision. */
@Injectable()
export class CommandPipeline {
  private readonly cache: StreamStateCache;
  private readonly ledger = new IdempotencyLedger();
  /** Requests sharing an Idempotency-Key run one at a time here; replicas meet at the store. */
  private readonly sameKey = new KeyedQueue();
  /**
   * One stream's work runs one batch at a time here: racing each other through optimistic
   * concurrency only to retry wastes every loser's round trips (100 in flight over 8 accounts
   * ran at under 50/s). Conflicts are left for replicas, which meet at the store.
   */
  private readonly sameStream = new KeyedQueue();
  /** Per stream, the batch still taking requests while it waits for the stream's turn. */
  private readonly open = new Map<string, Member[]>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly follower: StoreFollower,
    @Optional() private readonly metrics?: CommandMetrics,
    /** How stored events are read: the domain's decoder (a test may fold its own events). */
    @Optional() @Inject(EVENT_DECODER) private readonly decode: DecodeEvent = decodeEvent,
  ) {
    this.cache = new StreamStateCache(decode);
    follower.onEvent((event) => {
      this.cache.apply(event);
      this.ledger.observe(event);
    });
  }

  /**
   * Runs a command, in five steps (each below says which it is):
   *
   * 1. **load** the stream, folded, at least as fresh as the store when the request arrived
   *    (its read barrier): from the cache of folded streams, or read and folded;
   * 2. **replay** a retry: the same Idempotency-Key for the same request is answered with what
   *    it appended the first time (`idempotent-replay.ts`);
   * 3. **decide** on the folded state: the decider's events, each in its envelope of metadata
   *    (`envelope.ts`);
   * 4. **append** with the expected revision the fold reached;
   * 5. **retry on conflict** with another replica: from step 1, after a fresh read barrier, up
   *    to 8 attempts, then `COMMAND.CONCURRENCY_CONFLICT`.
   *
   * Requests for one stream that arrive while it is busy are decided together
   * once it is free, in arrival order, each on the state the ones before it left, and their
   * events are appended in one commit (group commit): a hot stream costs one round trip per
   * batch instead of one per request, and each request still gets its own answer — a refusal
   * for one does not touch the others. A request with an Idempotency-Key runs alone (it also
   * queues behind requests with the same key).
   */
  run<C, E extends DomainEvent, S>(
    request: PipelineRequest<C, E, S>,
  ): Promise<PipelineResult<E, S>> {
    return new Promise((resolve, reject) => {
      const member = { request, resolve, reject } as unknown as Member;
      const { streamName, context } = request;
      const key = context.idempotencyKey;
      if (key !== undefined) {
        this.open.delete(streamName);
        void this.sameStream.run(streamName, () =>
          this.sameKey.run(key, () => this.runBatch([member])),
        );
        return;
      }
      const open = this.open.get(streamName);
      if (open && open.length < MAX_BATCH && open[0].request.decider === request.decider) {
        open.push(member);
        return;
      }
      const batch = [member];
      this.open.set(streamName, batch);
      void this.sameStream.run(streamName, () => {
        // From here on the batch is closed: later requests form the next one.
        if (this.open.get(streamName) === batch) this.open.delete(streamName);
        return this.runBatch(batch);
      });
    });
  }

  /**
   * Decides and appends a batch, retrying all of it on a conflict with another replica (after
   * a fresh read barrier); settles every member.
   */
  private async runBatch(batch: Member[]): Promise<void> {
    const first = batch[0].request;
    this.metrics?.batchSize.observe(batch.length);
    for (let attempt = 1; ; attempt++) {
      try {
        // 1. Load (a retry after a conflict waits for a fresh read barrier).
        const { streamName, decider, preloaded } = first;
        const loaded =
          attempt === 1 && batch.length === 1 && preloaded
            ? this.fresher(streamName, await preloaded)
            : this.load(streamName, decider, attempt > 1 ? this.barrier() : arrivals(batch));
        const decided = await this.attempt(batch, await loaded);
        batch.forEach((member, i) => settle(member, decided[i]));
        return;
      } catch (error) {
        // 5. Retry on a conflict with another replica; any other failure ends the batch.
        if (error instanceof WrongExpectedRevisionError) this.metrics?.conflicts.inc();
        if (error instanceof WrongExpectedRevisionError && attempt < MAX_ATTEMPTS) {
          this.metrics?.retries.inc();
          await backoff(attempt);
          continue;
        }
        const failure =
          error instanceof WrongExpectedRevisionError
            ? tooMuchContention(first.streamName)
            : storeFailure(error);
        for (const member of batch) member.reject(failure);
        return;
      }
    }
  }

  /**
   * A preload (started when the request arrived, while the caller was authenticated) or the
   * cache, whichever is further on: batches that ran on the stream since the preload began have
   * appended to the cache, and deciding on the preload would only conflict with them — then
   * forget the cache and read the whole stream again.
   */
  private fresher(streamName: string, preloaded: FoldedStream<unknown>): FoldedStream<unknown> {
    const cached = this.cache.get(streamName, preloaded.decider);
    return cached && cached.nextRevision > preloaded.nextRevision ? cached : preloaded;
  }

  /** The stream folded up to everything committed before this call. */
  async load<E extends DomainEvent, S>(
    streamName: string,
    decider: Decider<never, E, S>,
    readBarrier: Promise<void> = this.barrier(),
  ): Promise<FoldedStream<S>> {
    const typed = decider as Decider<never, DomainEvent, S>;
    await readBarrier;
    const cached = this.cache.get(streamName, typed);
    if (cached) return cached;
    this.cache.beginRead(streamName);
    let read: FoldedStream<S> | null = null;
    try {
      read = foldEvents(emptyStream(typed), await this.store.readStream(streamName), this.decode);
    } finally {
      read = this.cache.endRead(streamName, read);
    }
    return read as FoldedStream<S>;
  }

  /** Resolves once everything committed before this call is in this service's views. */
  barrier(): Promise<void> {
    const barrier = this.follower.sync();
    barrier.catch(() => undefined); // whoever awaits it sees the failure
    return barrier;
  }

  /** Starts reading a stream now, for a `run` that will need it once the caller is verified. */
  preload<E extends DomainEvent, S>(
    streamName: string,
    decider: Decider<never, E, S>,
    readBarrier: Promise<void>,
  ): Promise<FoldedStream<S>> {
    const loading = this.load(streamName, decider, readBarrier);
    loading.catch(() => undefined); // the run that uses it reports the failure
    return loading;
  }

  /**
   * Decides each member on the state the members before it left, then appends every event of
   * the batch with one expected revision. Throws only for the append (a conflict retries all of
   * it); a member's own refusal is its outcome.
   */
  private async attempt(batch: Member[], folded: FoldedStream<unknown>): Promise<Decided[]> {
    const streamName = batch[0].request.streamName;
    const now = this.clock.now();
    const decided: Decided[] = [];
    const toAppend: EventToAppend[] = [];
    let current = folded;
    for (const { request } of batch) {
      const outcome = await this.decide(request, current, now).catch((error: unknown) => ({
        error,
      }));
      decided.push(outcome);
      if (!('envelopes' in outcome)) continue;
      const base = current.nextRevision;
      const pending = current.lastEvent?.position ?? 0n;
      current = foldEvents(
        current,
        outcome.envelopes.map((e, i) => asRecorded(e, streamName, base + BigInt(i), pending)),
        this.decode,
      );
      outcome.state = current.state;
      outcome.recordedAt = current.recordedAt;
      toAppend.push(...outcome.envelopes);
    }
    if (toAppend.length === 0) return decided;
    // 4. Append the batch's events in one commit, expecting the revision the fold reached.
    const expectedRevision = folded.nextRevision === 0n ? 'no_stream' : folded.nextRevision - 1n;
    try {
      const appended = await this.store.appendToStream(streamName, toAppend, { expectedRevision });
      const recorded = toAppend.map((e, i) =>
        asRecorded(e, streamName, folded.nextRevision + BigInt(i), appended.position),
      );
      this.cache.set(streamName, foldEvents(folded, recorded, this.decode));
      return decided.map((outcome) => {
        if (!('envelopes' in outcome)) return outcome;
        this.ledger.observe(outcome.envelopes[0]);
        const result = {
          events: outcome.events,
          state: outcome.state,
          position: appended.position,
          occurredAt: now,
          recordedAt: outcome.recordedAt,
          replayed: false,
        };
        return { result };
      });
    } catch (error) {
      this.cache.forget(streamName);
      throw error;
    }
  }

  /** One member's decision on `folded`: its events, nothing to do, or a replay of a retry. */
  private async decide(
    request: PipelineRequest<unknown, DomainEvent, unknown>,
    folded: FoldedStream<unknown>,
    now: number,
  ): Promise<Decided> {
    const { decider, context, commandType } = request;
    const { state } = folded;
    // 2. A retry (same Idempotency-Key, same request) is answered with what it appended.
    this.ledger.check(context);
    const replayed = replayOfRetry(folded, commandType, context, this.decode);
    if (replayed) return { result: replayed };
    // 3. Decide on the folded state; nothing to do is an answer too.
    const events = decider.decide(await request.command(state), state);
    if (events.length === 0) {
      const { recordedAt } = folded;
      return {
        result: { events, state, position: null, occurredAt: null, recordedAt, replayed: false },
      };
    }
    const envelopes = events.map((event) => envelope(event, context, commandType, now));
    return { events, envelopes, state, recordedAt: folded.recordedAt };
  }
}

/**
 * What every member must see: everything committed before it arrived (its own read barrier).
 * The folded stream is then the cache's, which holds what the batches before this one appended;
 * a preload started on arrival may predate those, so only a lone, first request uses one.
 */
function arrivals(batch: Member[]): Promise<void> {
  return Promise.all(batch.map((member) => member.request.context.readBarrier)).then(() => {});
}

function settle(member: Member, outcome: Decided): void {
  if ('error' in outcome) member.reject(outcome.error);
  else if ('result' in outcome) member.resolve(outcome.result);
}

function tooMuchContention(streamName: string): AppError {
  return new AppError(
    'COMMAND.CONCURRENCY_CONFLICT',
    'conflict',
    `too many concurrent changes to ${streamName}; retry the request`,
  );
}

function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}
