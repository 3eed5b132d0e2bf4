import { Inject, Injectable } from '@nestjs/common';
import type { Decider, DomainEvent } from '@keyward/domain';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Position,
  type RecordedEvent,
} from '@keyward/event-store';
import { AppError } from '../transport/app-error';
import { EVENT_STORE, CLOCK, type Clock } from '../tokens';
import type { CommandContext, EventMetadata } from './command-context';
import { commandScopedUuid } from './deterministic-id';

export interface PipelineRequest<C, E extends DomainEvent, S> {
  streamName: string;
  decider: Decider<C, E, S>;
  /** Names the command in metadata; with the idempotency key it identifies a retry. */
  commandType: string;
  /** Built from the folded state on every attempt, so a retry decides on fresh state. */
  command: (state: S, recorded: readonly RecordedEvent[]) => C | Promise<C>;
  context: CommandContext;
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
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run<C, E extends DomainEvent, S>(
    request: PipelineRequest<C, E, S>,
  ): Promise<PipelineResult<E, S>> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(request);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw tooMuchContention(request.streamName);
        await backoff(attempt);
      }
    }
  }

  async load<E extends DomainEvent, S>(
    streamName: string,
    decider: Decider<unknown, E, S>,
  ): Promise<{ state: S; recorded: RecordedEvent[] }> {
    const recorded = await this.store.readStream(streamName);
    const state = recorded.reduce(
      (s, r) => decider.evolve(s, asDomainEvent<E>(r)),
      decider.initialState(),
    );
    return { state, recorded };
  }

  private async attempt<C, E extends DomainEvent, S>(
    request: PipelineRequest<C, E, S>,
  ): Promise<PipelineResult<E, S>> {
    const { streamName, decider, context } = request;
    const { state, recorded } = await this.load(streamName, decider);
    const earlier = findRetried(recorded, request.commandType, context.idempotencyKey);
    if (earlier) return replay<E, S>(earlier, state);

    const events = decider.decide(await request.command(state, recorded), state);
    if (events.length === 0) {
      return { events, state, position: null, occurredAt: null, replayed: false };
    }

    const revision = recorded.length;
    const now = this.clock.now();
    const toAppend = events.map((event, i) => this.envelope(event, request, revision + i, now));
    const expectedRevision: ExpectedRevision = revision === 0 ? 'no_stream' : BigInt(revision - 1);
    const appended = await this.store.appendToStream(streamName, toAppend, { expectedRevision });
    const after = events.reduce(decider.evolve, state);
    return { events, state: after, position: appended.position, occurredAt: now, replayed: false };
  }

  private envelope<E extends DomainEvent>(
    event: E,
    request: Pick<PipelineRequest<unknown, E, unknown>, 'context' | 'streamName' | 'commandType'>,
    revision: number,
    now: number,
  ): EventToAppend {
    const { context, streamName, commandType } = request;
    const id = commandScopedUuid(context.idempotencyKey, commandType, streamName, String(revision));
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
      ...(context.idempotencyKey === undefined ? {} : { idempotencyKey: context.idempotencyKey }),
    };
    return { id, type: event.type, data: event.data, metadata };
  }
}

export function asDomainEvent<E extends DomainEvent>(recorded: RecordedEvent): E {
  return { type: recorded.type, data: recorded.data } as E;
}

function findRetried(
  recorded: RecordedEvent[],
  commandType: string,
  idempotencyKey: string | undefined,
): RecordedEvent[] | null {
  if (idempotencyKey === undefined) return null;
  const matches = recorded.filter((r) => {
    const metadata = r.metadata as Partial<EventMetadata>;
    return metadata.idempotencyKey === idempotencyKey && metadata.commandType === commandType;
  });
  return matches.length > 0 ? matches : null;
}

function replay<E extends DomainEvent, S>(
  earlier: RecordedEvent[],
  state: S,
): PipelineResult<E, S> {
  const occurredAt = Date.parse((earlier[0].metadata as EventMetadata).occurredAt);
  const last = earlier[earlier.length - 1];
  const events = earlier.map((r) => asDomainEvent<E>(r));
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
