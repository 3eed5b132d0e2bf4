import { useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from '../api/types';
import { ErrorNote } from './error-note';
import { RETRIES, RETRY_MS, sleep } from './use-load';

export interface PagedList<T> {
  items: T[];
  nextCursor: string | null;
  /** True while the first page (or a refresh) is on its way. */
  loading: boolean;
  /** The refusal of the first page (or of a refresh). */
  error: unknown;
  loadingMore: boolean;
  /** The refusal of the last "Load more". */
  moreError: unknown;
  loadMore: () => void;
  /**
   * Loads again as many pages as are shown. The read models follow the event store a moment
   * behind a command's answer, so with `until` it asks again a few times, briefly, until what
   * the command changed shows (and otherwise shows what the API answers).
   */
  refresh: (until?: (items: T[]) => boolean) => void;
}

/**
 * A list the API answers page by page (`{items, nextCursor}`), with "Load more". With
 * `allPages`, every page is loaded at once (for counts that must be whole).
 */
export function usePagedList<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  deps: unknown[],
  allPages = false,
): PagedList<T> {
  const [data, setData] = useState<Page<T>>({ items: [], nextCursor: null });
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const generation = useRef(0);
  const pages = useRef(1);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const loadPages = async (count: number): Promise<Page<T>> => {
    let items: T[] = [];
    let cursor: string | undefined;
    for (let n = 0; n < count; n++) {
      const page = await fetchRef.current(cursor);
      items = items.concat(page.items);
      if (!page.nextCursor) return { items, nextCursor: null };
      cursor = page.nextCursor;
    }
    return { items, nextCursor: cursor ?? null };
  };

  const reload = async (until?: (items: T[]) => boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    setMoreError(null);
    try {
      const count = allPages ? Infinity : pages.current;
      let page = await loadPages(count);
      for (let attempt = 0; until && !until(page.items) && attempt < RETRIES; attempt++) {
        await sleep(RETRY_MS);
        if (mine !== generation.current) return;
        page = await loadPages(count);
      }
      if (mine !== generation.current) return;
      setData(page);
      setError(null);
    } catch (reason) {
      if (mine === generation.current) setError(reason);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    pages.current = 1;
    void reload();
  }, deps);

  const loadMore = async () => {
    const cursor = data.nextCursor;
    if (!cursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchRef.current(cursor);
      if (mine !== generation.current) return;
      pages.current += 1;
      setData((shown) => ({ items: [...shown.items, ...page.items], nextCursor: page.nextCursor }));
    } catch (reason) {
      if (mine === generation.current) setMoreError(reason);
    } finally {
      setLoadingMore(false);
    }
  };

  return {
    items: data.items,
    nextCursor: data.nextCursor,
    loading,
    error,
    loadingMore,
    moreError,
    loadMore: () => void loadMore(),
    refresh: (until) => void reload(until),
  };
}

/** "Load more" under a paged list, with its own refusal; nothing once the last page is shown. */
export function LoadMore<T>({ list }: { list: PagedList<T> }) {
  if (!list.nextCursor && !list.moreError) return null;
  return (
    <div class="load-more">
      <ErrorNote error={list.moreError} />
      {list.nextCursor ? (
        <button type="button" onClick={list.loadMore} disabled={list.loadingMore}>
          {list.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </div>
  );
}
