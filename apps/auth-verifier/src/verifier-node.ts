import { performance } from 'node:perf_hooks';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { EventStore } from '@keyward/event-store';
import type { VerifierConfig } from './config';
import { IndexFollower } from './follower/index-follower';
import { ReadBarrier } from './follower/read-barrier';
import { Freshness } from './freshness/freshness';
import { KeyIndex } from './key-index/key-index';
import { PropagationResponder } from './propagation/propagation.responder';
import { RevocationFences } from './propagation/revocation-fences';
import { CONFIG, EVENT_STORE, NATS_CONNECTION } from './tokens';
import { UsageRecorder } from './usage/usage-recorder';
import { Verifier } from './verify/verification';
import { VerifyResponder } from './verify/verify.responder';

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
  private readonly responder: VerifyResponder;
  private readonly usage: UsageRecorder;
  private usageTimer?: NodeJS.Timeout;

  constructor(
    @Inject(CONFIG) private readonly config: VerifierConfig,
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    this.freshness = new Freshness(config.maxStalenessMs, () => performance.now());
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
    this.follower.onAdvance((position) => {
      this.propagation.advanced();
      barrier.advanced(position);
    });
    this.usage = new UsageRecorder(connection.jetstream(), config.verifierId, log.error);
    const verifier = new Verifier(this.index, this.freshness, this.fences);
    this.responder = new VerifyResponder(connection, verifier, this.usage, barrier);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.propagation.start();
    this.follower.start();
    await this.follower.caughtUp;
    // Ready means answering, not "unavailable": wait for the first proof of being caught up.
    while (!this.freshness.isServing()) await new Promise((resolve) => setTimeout(resolve, 10));
    this.responder.start();
    // Ready is announced after this returns: the server must know the subscriptions by then, or
    // a request sent right after would find no responder.
    await this.connection.flush();
    this.usageTimer = setInterval(() => void this.usage.flush(), this.config.usageFlushMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.usageTimer);
    this.responder.stop();
    this.propagation.stop();
    await this.usage.flush();
    await this.follower.stop();
  }
}
