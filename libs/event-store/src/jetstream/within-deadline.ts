import { StoreUnavailableError } from '../errors';

/**
 * `work`'s result, or a StoreUnavailableError once `ms` have passed without it settling: for
 * store calls that nats.js may wait on forever (an ordered consumer it keeps making again, a
 * fetch lost to a reconnect). Abandoned work may still settle later; its failure is ignored.
 */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StoreUnavailableError(`${what} took longer than ${ms} ms`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
