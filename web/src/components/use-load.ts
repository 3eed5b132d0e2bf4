import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/**
 * The read models follow the event store a moment behind a command's answer: after a change,
 * a read asks again this many times, this far apart, until the change shows.
 */
export const RETRIES = 8;
export const RETRY_MS = 250;
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads until `shows` holds (a few times, briefly), then gives up quietly: the page shows what is. */
export async function eventually<T>(read: () => Promise<T>, shows: (value: T) => boolean) {
  for (let attempt = 0; attempt <= RETRIES; attempt++) {
    const value = await read().catch(() => undefined);
    if (value !== undefined && shows(value)) return;
    await sleep(RETRY_MS);
  }
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again; with `until`, a few times more until what a command changed shows. */
  reload: (until?: (data: T) => boolean) => void;
}

/** Runs `load` when `deps` change (and on `reload`); keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = useCallback(async (until?: (data: T) => boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      let value = await loadRef.current();
      for (let attempt = 0; until && !until(value) && attempt < RETRIES; attempt++) {
        await sleep(RETRY_MS);
        if (mine !== generation.current) return;
        value = await loadRef.current();
      }
      if (mine !== generation.current) return;
      setData(value);
      setError(null);
    } catch (reason) {
      if (mine === generation.current) setError(reason);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    void run();
  }, deps);
  const reload = useCallback((until?: (data: T) => boolean) => void run(until), [run]);
  return { data, error, loading, reload };
}

/** A form's submit: busy while the request runs, its error kept for the form to show. */
export function useSubmit<A extends unknown[]>(action: (...args: A) => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (...args: A) => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}
