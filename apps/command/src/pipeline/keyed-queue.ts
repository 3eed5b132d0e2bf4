/**
 * Runs tasks that share a key one after another, in arrival order; tasks with different keys
 * (or none) run freely. Used so that concurrent requests carrying one Idempotency-Key cannot
 * overtake each other inside this process: the second sees what the first appended.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** `waited` tells the task whether another task with its key ran before it. */
  run<T>(key: string | undefined, task: (waited: boolean) => Promise<T>): Promise<T> {
    if (key === undefined) return task(false);
    const previous = this.tails.get(key);
    const result = previous === undefined ? task(false) : previous.then(() => task(true));
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
