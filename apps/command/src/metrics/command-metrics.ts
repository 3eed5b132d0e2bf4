import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import { gaugeReadOnScrape, METRICS } from '@keyward/transport';

/**
 * The command service's own series (request durations and outcomes by code are
 * `keyward_request_duration_seconds`, counted for every NATS service by its server).
 */
@Injectable()
export class CommandMetrics {
  /** Appends refused because another writer moved the stream first. */
  readonly conflicts: Counter;
  /** Batches decided again after a conflict (the rest became `COMMAND.CONCURRENCY_CONFLICT`). */
  readonly retries: Counter;
  /** Requests decided together and appended in one commit (group commit). */
  readonly batchSize: Histogram;
  /** From a revocation's commit until every live verifier confirmed it applied (G1). */
  readonly propagation: Histogram;
  /** Revocations answered `REVOCATION.PROPAGATION_TIMEOUT`. */
  readonly propagationTimeouts: Counter;

  constructor(@Optional() @Inject(METRICS) private readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.conflicts = new Counter({
      name: 'keyward_command_conflicts_total',
      help: 'Appends refused by optimistic concurrency (another replica wrote the stream first)',
      registers,
    });
    this.retries = new Counter({
      name: 'keyward_command_retries_total',
      help: 'Command batches decided and appended again after a conflict',
      registers,
    });
    this.batchSize = new Histogram({
      name: 'keyward_command_batch_size',
      help: 'Commands for one stream decided together and appended in one commit',
      buckets: [1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    this.propagation = new Histogram({
      name: 'keyward_revocation_propagation_seconds',
      help: 'From the commit of a revocation until every live verifier confirmed it applied',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.propagationTimeouts = new Counter({
      name: 'keyward_revocation_propagation_timeouts_total',
      help: 'Revocations recorded but not confirmed by every live verifier in time',
      registers,
    });
  }

  /** The verifiers a revocation waits for now (heartbeating, on the roster). */
  countLiveVerifiers(count: () => number): void {
    gaugeReadOnScrape({
      name: 'keyward_verifiers_live',
      help: 'Verifier nodes on the roster (heartbeating): the nodes a revocation waits for',
      registry: this.registry,
      read: count,
    });
  }
}
