import { Counter, Histogram, type Registry } from 'prom-client';
import { gaugeReadOnScrape } from '@keyward/transport';

/** What a verifier node exposes to `/metrics`, read at each scrape. */
export interface VerifierState {
  /** Keys in the index. */
  indexSize(): number;
  /** Milliseconds since the last proof of freshness (the G2 clock); Infinity before the first. */
  staleness(): number;
  /** Answering now (caught up, not stopping). */
  serving(): boolean;
  /** Store position of the last event applied to the index. */
  appliedPosition(): number | null;
}

/** Which subject a verify answer was for. */
export type VerifyOperation = 'verify' | 'authorize';

/**
 * A verifier node's series: verify and authorize answers over NATS (latency, and outcomes by
 * reason), the index, the G2 clock, and the usage rollups it published.
 */
export class VerifierMetrics {
  private readonly duration: Histogram<'operation'>;
  private readonly outcomes: Counter<'operation' | 'outcome'>;
  private readonly rollups: Counter<'result'>;

  constructor(private readonly registry: Registry) {
    const registers = [registry];
    this.duration = new Histogram({
      name: 'keyward_verify_duration_seconds',
      help: 'verify and authorize answered over NATS, from arrival to the reply',
      labelNames: ['operation'] as const,
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
      registers,
    });
    this.outcomes = new Counter({
      name: 'keyward_verify_outcomes_total',
      help: 'verify and authorize answers by outcome: valid, forbidden (authorize), the reason a credential was refused, or bad_request',
      labelNames: ['operation', 'outcome'] as const,
      registers,
    });
    this.rollups = new Counter({
      name: 'keyward_verifier_usage_rollups_published_total',
      help: 'Key-usage rollups published to the usage stream (failed: kept for the next window)',
      labelNames: ['result'] as const,
      registers,
    });
    this.rollups.inc({ result: 'published' }, 0);
    this.rollups.inc({ result: 'failed' }, 0);
  }

  /** One answer: its outcome label and the `performance.now()` at which its request arrived. */
  answered(operation: VerifyOperation, outcome: string, seconds: number): void {
    this.duration.observe({ operation }, seconds);
    this.outcomes.inc({ operation, outcome });
  }

  rollupsPublished(published: number, failed: number): void {
    if (published > 0) this.rollups.inc({ result: 'published' }, published);
    if (failed > 0) this.rollups.inc({ result: 'failed' }, failed);
  }

  /** Gauges read from the node at each scrape. */
  observe(state: VerifierState): void {
    const registry = this.registry;
    gaugeReadOnScrape({
      name: 'keyward_verifier_index_keys',
      help: 'Keys in the verifier index',
      registry,
      read: () => state.indexSize(),
    });
    gaugeReadOnScrape({
      name: 'keyward_verifier_staleness_ms',
      help: 'Milliseconds since the last proof of being caught up with the store (G2: refuses past the bound)',
      registry,
      read: () => state.staleness(),
    });
    gaugeReadOnScrape({
      name: 'keyward_verifier_serving',
      help: 'Whether the node answers (1) or refuses everything as unavailable (0)',
      registry,
      read: () => (state.serving() ? 1 : 0),
    });
    gaugeReadOnScrape({
      name: 'keyward_verifier_applied_position',
      help: 'Store position of the last event applied to the index',
      registry,
      read: () => state.appliedPosition() ?? 0,
    });
  }
}
