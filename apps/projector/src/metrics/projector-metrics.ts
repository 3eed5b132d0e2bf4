import { Inject, Injectable, Optional } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { gaugeReadOnScrape, METRICS } from '@keyward/transport';

/** Where the projector stands, for `/metrics`: what it applied, and how far behind it is. */
export interface ProjectorProgress {
  /** The read models' checkpoint: the store position of the last event applied. */
  applied(): number | null;
  /** The store's head position now (a lookup). */
  head(): Promise<number | null>;
}

/**
 * The projector's own series (query durations and outcomes are
 * `keyward_request_duration_seconds`, counted for every NATS service by its server).
 */
@Injectable()
export class ProjectorMetrics {
  /** Events written into the read models and the audit log. */
  readonly eventsApplied: Counter;
  /** Key-usage rollups (from the verifiers) written into the read models. */
  readonly rollupsApplied: Counter;

  constructor(@Optional() @Inject(METRICS) private readonly registry: Registry = new Registry()) {
    const registers = [registry];
    this.eventsApplied = new Counter({
      name: 'keyward_projector_events_applied_total',
      help: 'Events applied to the read models and the audit log',
      registers,
    });
    this.rollupsApplied = new Counter({
      name: 'keyward_projector_usage_rollups_applied_total',
      help: 'Key-usage rollups from the verifiers applied to the read models',
      registers,
    });
  }

  /**
   * Lag behind the store, computed at each scrape: the head and applied positions and their
   * difference (on JetStream, positions are stream sequence numbers, so the lag counts
   * messages; on EventStoreDB, commit positions, so it counts bytes of log).
   */
  follow(progress: ProjectorProgress): void {
    const registry = this.registry;
    gaugeReadOnScrape({
      name: 'keyward_projector_applied_position',
      help: 'Store position of the last event applied to the read models',
      registry,
      read: () => progress.applied() ?? 0,
    });
    gaugeReadOnScrape({
      name: 'keyward_projector_lag',
      help: 'Store head position minus the applied position (0: caught up)',
      registry,
      read: async () => {
        const head = await progress.head().catch(() => null);
        return head === null ? null : Math.max(0, head - (progress.applied() ?? 0));
      },
    });
  }
}
