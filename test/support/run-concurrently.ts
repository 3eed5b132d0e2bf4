/** Runs `jobs` `width` at a time, in order of start, telling each result as it comes. */
export async function runConcurrently<T>(
  jobs: (() => Promise<T>)[],
  width: number,
  onResult: (result: T) => void,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) onResult(await jobs[next++]());
    }),
  );
}
