/** Counts the requests a service is handling, and says when none is left (a graceful stop). */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  begin(): void {
    this.count += 1;
  }

  end(): void {
    this.count -= 1;
    if (this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  size(): number {
    return this.count;
  }

  /** Resolves once nothing is being handled. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
