import type { Position } from '@keyward/event-store';

export type MonotonicClock = () => number;

interface PendingConfirmation {
  head: Position;
  startedAt: number;
}

/*
 * G2 and G3: the node serves only while it can prove it is caught up. A proof is a head lookup:
 * once the applied position reaches the head it returned, everything committed before the
 * lookup *started* is applied, so the proof dates from the start, never from the answer. A
 * fence (a lost connection, or a revocation announced while not serving) voids every proof
 * started before it, so the node must catch up with the store as it is after the fence.
 */
export class Freshness {
  private applied: Position | null = null;
  /** `applied` as a decimal string, made on first use once per applied position. */
  private appliedText: string | null = null;
  private confirmedAt = Number.NEGATIVE_INFINITY;
  private fencedAt = Number.NEGATIVE_INFINITY;
  private pending: PendingConfirmation[] = [];

  constructor(
    private readonly maxStalenessMs: number,
    private readonly now: MonotonicClock,
  ) {}

  get appliedPosition(): Position | null {
    return this.applied;
  }

  /**
   * The applied position as the decimal string answers carry (docs/decisions/0004), null before
   * any: formatted once per position, so the hot path reads a cached string.
   */
  get appliedPositionText(): string | null {
    if (this.appliedText === null && this.applied !== null) {
      this.appliedText = this.applied.toString();
    }
    return this.appliedText;
  }

  isServing(at: number = this.now()): boolean {
    return this.confirmedAt >= this.fencedAt && at - this.confirmedAt <= this.maxStalenessMs;
  }

  /** Milliseconds since the last proof; Infinity before the first. */
  staleness(at: number = this.now()): number {
    return at - this.confirmedAt;
  }

  hasApplied(position: Position): boolean {
    return this.applied !== null && this.applied >= position;
  }

  advance(position: Position): void {
    if (this.applied !== null && position <= this.applied) return;
    this.applied = position;
    this.appliedText = null;
    while (this.pending.length > 0 && this.pending[0].head <= position) {
      this.confirm(this.pending.shift()!.startedAt);
    }
  }

  /** A head lookup started at `startedAt` answered `head` (null: the store is empty). */
  headObserved(head: Position | null, startedAt: number): void {
    if (head === null || this.hasApplied(head)) {
      this.confirm(startedAt);
      return;
    }
    // Heads only grow, so a later lookup's head supersedes any pending one at or above it.
    this.pending = this.pending.filter((p) => p.head < head);
    this.pending.push({ head, startedAt });
  }

  fence(at: number = this.now()): void {
    this.fencedAt = Math.max(this.fencedAt, at);
    this.pending = this.pending.filter((p) => p.startedAt >= this.fencedAt);
  }

  private confirm(startedAt: number): void {
    if (startedAt < this.fencedAt) return;
    this.confirmedAt = Math.max(this.confirmedAt, startedAt);
  }
}
