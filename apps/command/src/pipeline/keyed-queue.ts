/**
 * Runs tasks that share a key one after another, in arrival order; tasks with different keys
 * (or none) run freely. The command pipeline keeps one per stream (a batch at a time) and one per
 * Idempotency-Key, so that requests cannot overtake each other inside this process: the second
 * sees what the first appended.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string | undefined, task: () => Promise<T>): Promise<T> {
    if (key === undefined) return task();
    const previous = this.tails.get(key);
    const result = previous === undefined ? task() : previous.then(task);
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
