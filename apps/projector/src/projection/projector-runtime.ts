import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { EventStore } from '@keyward/event-store';
import type { ProjectorConfig } from '../config';
import { ProjectorMetrics } from '../metrics/projector-metrics';
import { createIndexes, dropIndexes, type Db } from '../store/read-model-db';
import { CONFIG, EVENT_STORE, NATS_CONNECTION, READ_MODEL_DB } from '../tokens';
import { ensureUsageStream } from '../usage/usage-stream';
import { UsageFollower } from '../usage/usage-follower';
import { EventFollower } from './event-follower';
import { EVENTS_CHECKPOINT, ReadModelWriter, USAGE_CHECKPOINT } from './read-model-writer';

/** Runs both followers for the life of the service. */
@Injectable()
export class ProjectorRuntime implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Projector');
  readonly writer: ReadModelWriter;
  private events?: EventFollower;
  private usage?: UsageFollower;

  private ready?: Promise<void>;

  constructor(
    @Inject(READ_MODEL_DB) private readonly db: Db,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(CONFIG) private readonly config: ProjectorConfig,
    @Optional() private readonly metrics?: ProjectorMetrics,
  ) {
    this.writer = new ReadModelWriter(db);
    metrics?.follow({ applied: () => this.position(), head: () => this.storeHead() });
  }

  private async storeHead(): Promise<number | null> {
    const head = await this.store.headPosition();
    return head === null ? null : Number(head);
  }

  private starting?: Promise<void>;

  // Nest may call this hook more than once for one instance; the followers must start once.
  onModuleInit(): Promise<void> {
    this.starting ??= this.start();
    return this.starting;
  }

  private async start(): Promise<void> {
    const jsm = await this.connection.jetstreamManager();
    await ensureUsageStream(jsm, this.config.usageStream);
    const onError = (what: string) => (error: unknown) =>
      this.logger.error(`${what} failed, resubscribing from the checkpoint: ${String(error)}`);
    this.events = new EventFollower(this.store, this.writer, {
      batchSize: this.config.batchSize,
      onBatch: (_position, applied) => this.metrics?.eventsApplied.inc(applied),
      onError: onError('event subscription'),
    });
    this.usage = new UsageFollower(this.connection.jetstream(), jsm, this.writer, {
      streamName: this.config.usageStream,
      onBatch: (_sequence, applied) => this.metrics?.rollupsApplied.inc(applied),
      onError: onError('usage subscription'),
    });
    // An empty file replays everything before it serves: index once at the end, by sorting.
    const fresh = this.writer.checkpoint(EVENTS_CHECKPOINT) === null;
    if (fresh) dropIndexes(this.db);
    this.events.start();
    this.usage.start();
    this.ready = Promise.all([this.events.whenCaughtUp(), this.usage.whenCaughtUp()]).then(() => {
      if (fresh) createIndexes(this.db);
    });
  }

  /** Resolves once the events and rollups committed at start are applied (docs/guarantees.md, G3). */
  async whenCaughtUp(): Promise<void> {
    await this.starting;
    await this.ready;
  }

  get caughtUp(): boolean {
    return this.events?.isCaughtUp ?? false;
  }

  position(): number | null {
    return this.writer.checkpoint(EVENTS_CHECKPOINT);
  }

  usageSequence(): number {
    return this.writer.checkpoint(USAGE_CHECKPOINT) ?? 0;
  }

  /** Before the connection drains (InfrastructureModule's shutdown), so nothing logs a failure. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.events?.stop(), this.usage?.stop()]);
  }
}
