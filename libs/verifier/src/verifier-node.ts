import { performance } from 'node:perf_hooks';
import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { NatsConnection } from 'nats';
import { Registry } from 'prom-client';
import type { EventStore } from '@keyward/event-store';
import { METRICS } from '@keyward/transport';
import type { VerifierConfig } from './config';
import { IndexFollower } from './follower/index-follower';
import { ReadBarrier } from './follower/read-barrier';
import { Freshness } from './freshness/freshness';
import { KeyIndex } from './key-index/key-index';
import { VerifierMetrics } from './metrics/verifier-metrics';
import { PropagationResponder } from './propagation/propagation.responder';
import { RevocationFences } from './propagation/revocation-fences';
import { CONFIG, EVENT_STORE, NATS_CONNECTION, NODE_OPTIONS } from './tokens';
import { UsageRecorder } from './usage/usage-recorder';
import { Verifier, type Outcome } from './verify/verification';
import { VerifyResponder } from './verify/verify.responder';

export interface VerifierNodeOptions {
  /**
   * Answer `kw.verify` and `kw.authorize` in the verifier queue group (a verifier process).
   * False for a node whose host answers in process only (the gateway's HTTP routes): it is on
   * the roster and applies every revocation before the revoke replies, but takes no NATS
   * verify traffic.
   */
  answerNats: boolean;
}

/**
 * One verifier node: follows the store into its key index and answers verify and authorize.
 * Order matters on start: listen for revocation announcements first, then catch up, then serve.
 */
@Injectable()
export class VerifierNode implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('VerifierNode');
  readonly index = new KeyIndex();
  readonly freshness: Freshness;
  private readonly fences: RevocationFences;
  private readonly follower: IndexFollower;
  private readonly propagation: PropagationResponder;
  private readonly responder?: VerifyResponder;
  private readonly usage: UsageRecorder;
  private readonly verifier: Verifier;
  private readonly barrier: ReadBarrier;
  private usageTimer?: NodeJS.Timeout;
  private answering = false;

  constructor(
    @Inject(CONFIG) private readonly config: VerifierConfig,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(NODE_OPTIONS) options: VerifierNodeOptions,
    @Optional() @Inject(METRICS) registry: Registry = new Registry(),
  ) {
    this.freshness = new Freshness(config.maxStalenessMs, () => performance.now());
    const metrics = new VerifierMetrics(registry);
    metrics.observe({
      indexSize: () => this.index.size,
      staleness: () => this.freshness.staleness(),
      serving: () => this.isServing(),
      appliedPosition: () => {
        const applied = this.freshness.appliedPosition;
        return applied === null ? null : Number(applied);
      },
    });
    this.fences = new RevocationFences((position) => this.freshness.hasApplied(position));
    const log = { error: (message: string) => this.logger.error(message) };
    this.follower = new IndexFollower(
      store,
      this.index,
      this.freshness,
      config.confirmIntervalMs,
      config.maxStalenessMs / 2,
      log,
    );
    this.propagation = new PropagationResponder(
      connection,
      config.verifierId,
      this.freshness,
      this.fences,
      config.heartbeatIntervalMs,
    );
    const barrier = new ReadBarrier(store, this.freshness);
    this.barrier = barrier;
    this.follower.onAdvance((position) => {
      this.propagation.advanced();
      barrier.advanced(position);
    });
    this.usage = new UsageRecorder(
      connection.jetstream(),
      config.verifierId,
      log.error,
      (published, failed) => metrics.rollupsPublished(published, failed),
    );
    this.verifier = new Verifier(this.index, this.freshness, this.fences);
    if (options.answerNats) {
      this.responder = new VerifyResponder(
        connection,
        (value, bareKey) => this.verify(value, bareKey),
        metrics,
      );
    }
  }

  /** The id this node heartbeats and answers revocations with. */
  get verifierId(): string {
    return this.config.verifierId;
  }

  /**
   * The store position this node has applied, as the decimal string answers carry (null before
   * any); formatted once per position. For answers that decide nothing about a key (a request
   * without a credential); a decision's own position is its outcome's `position`.
   */
  get appliedPosition(): string | null {
    return this.freshness.appliedPositionText;
  }

  /** Started, not stopping, and caught up with the store (G2): what /readyz reports. */
  isServing(): boolean {
    return this.answering && this.freshness.isServing();
  }

  /**
   * Decides an Authorization header value (or, with `bareKey`, the key itself) in process,
   * exactly as `kw.verify` does: the same reasons, `unavailable` while not caught up or once
   * stopping, a key missing from the index looked up again after the read barrier (it may have
   * been issued a moment ago), and every answer with a known key counted in usage. Synchronous
   * unless the barrier is needed. The outcome's `position` is the store position applied when
   * it was decided (after the barrier, for a key looked up again).
   */
  verify(value: unknown, bareKey = false): Outcome | Promise<Outcome> {
    if (!this.answering) return this.verifier.unavailable();
    const outcome = this.verifier.verify(value, bareKey);
    if (outcome.valid || outcome.reason !== 'unknown' || outcome.key !== undefined) {
      this.usage.record(outcome);
      return outcome;
    }
    return this.barrier.sync().then(() => {
      // A node that has left the roster meanwhile must not accept anything any more.
      // Decided anew after the barrier, so its position is the one applied after the barrier.
      const again = this.answering
        ? this.verifier.verify(value, bareKey)
        : this.verifier.unavailable();
      this.usage.record(again);
      return again;
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.propagation.start();
    this.follower.start();
    await this.follower.caughtUp;
    // Ready means answering, not "unavailable": wait for the first proof of being caught up.
    while (!this.freshness.isServing()) await new Promise((resolve) => setTimeout(resolve, 10));
    this.responder?.start();
    this.answering = true;
    // Ready is announced after this returns: the server must know the subscriptions by then, or
    // a request sent right after would find no responder.
    await this.connection.flush();
    this.usageTimer = setInterval(() => void this.usage.flush(), this.config.usageFlushMs);
  }

  /** verify/authorize requests received and not answered yet. */
  unanswered(): number {
    return this.responder?.unanswered() ?? 0;
  }

  /**
   * The first half of a graceful stop (SIGTERM): leave the `kw.verify` queue group and answer
   * everything already received, deciding as usual. The node stays on the roster meanwhile, so
   * a revocation still waits for it (G1); `onApplicationShutdown` then stops answering before it
   * leaves the roster.
   */
  async drain(): Promise<void> {
    await this.responder?.drain();
    await this.connection.flush();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.usageTimer);
    this.answering = false;
    this.responder?.stop();
    this.propagation.stop();
    await this.usage.flush();
    await this.follower.stop();
  }
}
