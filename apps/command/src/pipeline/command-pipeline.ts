import { Inject, Injectable } from '@nestjs/common';
import type { Decider, DomainEvent } from '@keyward/domain';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type Position,
  type RecordedEvent,
} from '@keyward/event-store';
import { EVENT_STORE, CLOCK, type Clock } from '../tokens';
import type { CommandContext, EventMetadata } from './command-context';
import { randomUUID } from 'node:crypto';
import { IdempotencyLedger, idempotencyKeyReused } from './idempotency-ledger';
import { KeyedQueue } from './keyed-queue';
import { emptyStream, foldEvents, retryKey, type FoldedStream } from './folded-stream';
import { StoreFollower } from '../store-follower/store-follower';
import { StreamStateCache } from './stream-state-cache';
import { AppError } from '@keyward/transport';

export interface PipelineRequest<C, E extends DomainEvent, S> {
  streamName: string;
  decider: Decider<C, E, S>;
  /** Names the command in metadata; with the idempotency key it identifies a retry. */
  commandType: string;
  /** Built from the folded state on every attempt, so a retry decides on fresh state. */
  command: (state: S, lastEvent: RecordedEvent | null) => C | Promise<C>;
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
  replayed: boolean;
}

const MAX_ATTEMPTS = 8;

/** The one way any command reaches the store: read, fold, decide, append with expected revision. */
@Injectable()
export class CommandPipeline {
  private readonly cache = new StreamStateCache();
  private readonly ledger = new IdempotencyLedger();
  /** Requests sharing an Idempotency-Key run one at a time here; replicas meet at the store. */
  private readonly sameKey = new KeyedQueue();
  /**
   * Requests for one stream run one at a time here too: racing each other through optimistic
   * concurrency only to retry wastes every loser's round trips (100 in flight over 8 accounts
   * ran at under 50/s). Conflicts are left for replicas, which meet at the store.
   */
  private readonly sameStream = new KeyedQueue();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly follower: StoreFollower,
  ) {
    follower.onEvent((event) => {
      this.cache.apply(event);
      this.ledger.observe(event);
    });
  }

  run<C, E extends DomainEvent, S>(
    request: PipelineRequest<C, E, S>,
  ): Promise<PipelineResult<E, S>> {
    return this.sameStream.run(request.streamName, (waitedForStream) =>
      this.sameKey.run(request.context.idempotencyKey, (waitedForKey) =>
        this.runWithRetries(request, waitedForStream || waitedForKey),
      ),
    );
  }

  /** `waited` (for the same stream or key): a preload may predate what came before it. */
  private async runWithRetries<C, E extends DomainEvent, S>(
    request: PipelineRequest<C, E, S>,
    waited: boolean,
  ): Promise<PipelineResult<E, S>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { streamName, decider, preloaded, context } = request;
        const loaded =
          attempt > 1 || waited
            ? this.load(streamName, decider)
            : (preloaded ?? this.load(streamName, decider, context.readBarrier));
        return await this.attempt(request, await loaded);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw tooMuchContention(request.streamName);
        await backoff(attempt);
      }
    }
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
      read = foldEvents(emptyStream(typed), await this.store.readStream(streamName));
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

  private async attempt<C, E extends DomainEvent, S>(
    request: PipelineRequest<C, E, S>,
    folded: FoldedStream<S>,
  ): Promise<PipelineResult<E, S>> {
    const { streamName, decider, context } = request;
    const { state, nextRevision } = folded;
    this.ledger.check(context);
    const earlier =
      context.idempotencyKey === undefined
        ? undefined
        : folded.retried.get(retryKey(request.commandType, context.idempotencyKey));
    if (earlier) return replay<E, S>(earlier, state, context);

    const events = decider.decide(await request.command(state, folded.lastEvent), state);
    if (events.length === 0) {
      return { events, state, position: null, occurredAt: null, replayed: false };
    }
    const now = this.clock.now();
    const toAppend = events.map((event) => envelope(event, context, request.commandType, now));
    const expectedRevision = nextRevision === 0n ? 'no_stream' : nextRevision - 1n;
    try {
      const appended = await this.store.appendToStream(streamName, toAppend, { expectedRevision });
      const recorded = toAppend.map((e, i) =>
        asRecorded(e, streamName, nextRevision + BigInt(i), appended.position),
      );
      const after = foldEvents(folded, recorded);
      this.cache.set(streamName, after);
      this.ledger.observe(toAppend[0]);
      return {
        events,
        state: after.state as S,
        position: appended.position,
        occurredAt: now,
        replayed: false,
      };
    } catch (error) {
      this.cache.forget(streamName);
      throw error;
    }
  }
}

function envelope(
  event: DomainEvent,
  context: CommandContext,
  commandType: string,
  now: number,
): EventToAppend {
  // Random even for a retried request: a racing duplicate must conflict and then replay what
  // won, not be taken by the store for an idempotent re-append of events it did not write.
  const id = randomUUID();
  const metadata: EventMetadata = {
    eventId: id,
    actor: context.actor,
    orgId: context.orgId,
    correlationId: context.correlationId,
    causationId: context.correlationId,
    source: context.source,
    occurredAt: new Date(now).toISOString(),
    schemaVersion: 1,
    commandType,
    ...(context.idempotencyKey === undefined
      ? {}
      : {
          idempotencyKey: context.idempotencyKey,
          requestFingerprint: context.requestFingerprint,
        }),
  };
  return { id, type: event.type, data: event.data, metadata };
}

/**
 * The cache records appended events as the store would return them. Positions of all but the
 * last are not known here and nothing reads them from the cache, so they share the last one.
 */
function asRecorded(
  event: EventToAppend,
  streamName: string,
  revision: bigint,
  position: Position,
): RecordedEvent {
  return { ...event, streamName, revision, position };
}

function replay<E extends DomainEvent, S>(
  earlier: RecordedEvent[],
  state: S,
  context: CommandContext,
): PipelineResult<E, S> {
  const metadata = earlier[0].metadata as EventMetadata;
  if (metadata.requestFingerprint !== context.requestFingerprint) throw idempotencyKeyReused();
  const occurredAt = Date.parse(metadata.occurredAt);
  const last = earlier[earlier.length - 1];
  const events = earlier.map((r) => ({ type: r.type, data: r.data }) as E);
  return { events, state, position: last.position, occurredAt, replayed: true };
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
