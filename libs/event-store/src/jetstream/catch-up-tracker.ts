/*
 * Decides when a subscription is caught up: once it has seen the last matching commit that
 * existed when it started, and again after a reconnect once it has seen the last one that
 * existed then. A target taken from the stream, rather than "nothing pending", still arrives
 * while writers keep appending.
 */
export class CatchUpTracker {
  private target: number | undefined;
  private lastSeenSequence: number;
  private due = true;

  /** `startSequence` is the first commit the subscription will read. */
  constructor(startSequence: number) {
    this.lastSeenSequence = startSequence - 1;
  }

  /** The last matching commit's sequence, 0 if there is none. */
  setTarget(sequence: number): void {
    this.target = sequence;
  }

  seen(sequence: number): void {
    this.lastSeenSequence = sequence;
  }

  /** After a reconnect the old target says nothing about what was missed meanwhile. */
  reconnected(): void {
    this.target = undefined;
    this.due = true;
  }

  /** True once per catch-up, the first time it is asked after reaching the target. */
  takeCaughtUp(): boolean {
    if (!this.due || this.target === undefined || this.lastSeenSequence < this.target) return false;
    this.due = false;
    return true;
  }
}
