import { performance } from 'node:perf_hooks';
import { decodeEvent } from '@keyward/domain';
import type { EventStore, Position, Subscription } from '@keyward/event-store';
import { skipUnknownEvent } from '@keyward/transport';
import type { Freshness } from '../freshness/freshness';
import type { KeyIndex } from '../key-index/key-index';

export interface FollowerLog {
  error(message: string): void;
}

/**
 * Builds the index from the store (catch-up, then live) and keeps proving it is caught up by
 * looking up the store's head. A failed subscription resumes after the last applied event.
 */
export class IndexFollower {
  private subscription?: Subscription;
  private stopped = false;
  private caughtUpOnce!: () => void;
  readonly caughtUp = new Promise<void>((resolve) => (this.caughtUpOnce = resolve));
  private readonly advanceListeners: ((position: Position) => void)[] = [];
  private lastProgressAt = performance.now();
  /** Stall restarts since the last event applied: each doubles the wait before the next. */
  private stallRestarts = 0;

  constructor(
    private readonly store: EventStore,
    private readonly index: KeyIndex,
    private readonly freshness: Freshness,
    private readonly confirmIntervalMs: number,
    private readonly stallMs: number,
    private readonly log: FollowerLog,
  ) {}

  onAdvance(listener: (position: Position) => void): void {
    this.advanceListeners.push(listener);
  }

  start(): void {
    void this.follow();
    void this.confirmLoop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.stop();
  }

  private async follow(): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const applied = this.freshness.appliedPosition;
      this.subscription = this.store.subscribeToAll({ from: applied ?? 'start' });
      try {
        for await (const item of this.subscription) {
          if (item.kind === 'event') {
            const decoded = decodeEvent(item.event);
            if (decoded.known) this.index.apply(decoded.event);
            else skipUnknownEvent('verifier index', decoded.type);
            this.advance(item.event.position);
          } else {
            if (item.position !== null) this.advance(item.position);
            this.caughtUpOnce();
          }
          attempt = 0;
        }
      } catch (error) {
        // Until it is back, head lookups cannot be matched: the node goes stale and refuses.
        this.log.error(`store subscription failed, resubscribing: ${String(error)}`);
      }
      if (!this.stopped) await sleep(Math.min(2_000, 100 * 2 ** attempt));
    }
  }

  /*
   * Behind the head with no event for a while: the subscription is stuck, so it is replaced by
   * one resuming after the last event. The stall once seen here (a process paused past its fetch
   * expiry lost the commits delivered meanwhile) is fixed in the JetStream adapter
   * (AllEventsSubscription); this stays as a defense against any other cause.
   *
   * Each restart without an event applied since doubles the wait before the next (up to 8×
   * `stallMs`): while a cluster recovers from losing a node, making a consumer can take longer
   * than `stallMs`, and replacing every new subscription before it could deliver kept a
   * verifier behind for 13 s after the stream had a leader again.
   */
  private async restartIfStalled(): Promise<void> {
    const waitMs = this.stallMs * 2 ** Math.min(this.stallRestarts, 3);
    if (performance.now() - this.lastProgressAt < waitMs) return;
    this.stallRestarts += 1;
    this.log.error(
      `store subscription stalled behind the head for ${Math.round(waitMs)} ms; resubscribing`,
    );
    this.lastProgressAt = performance.now();
    await this.subscription?.stop();
  }

  private advance(position: Position): void {
    const applied = this.freshness.appliedPosition;
    if (applied === null || position > applied) this.stallRestarts = 0;
    this.lastProgressAt = performance.now();
    this.freshness.advance(position);
    for (const listener of this.advanceListeners) listener(position);
  }

  private async confirmLoop(): Promise<void> {
    while (!this.stopped) {
      const startedAt = performance.now();
      try {
        const head = await this.store.headPosition();
        this.freshness.headObserved(head, startedAt);
        if (head !== null && !this.freshness.hasApplied(head)) await this.restartIfStalled();
      } catch {
        // Store unreachable: no proof this round, so staleness grows until the node refuses.
      }
      const elapsed = performance.now() - startedAt;
      await sleep(Math.max(0, this.confirmIntervalMs - elapsed));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
