import { eventTypeFilter, streamNameFilter, type Filter } from '@eventstore/db-client';
import type { SubscriptionFilter } from '../event-store.port';

export interface SplitFilter {
  /** Sent to the server: it skips what does not match and sends checkpoints instead. */
  server: Filter;
  /** What the server cannot express (a second dimension) is checked here. */
  matches(streamName: string, type: string): boolean;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/*
 * EventStoreDB filters on one dimension per subscription (stream name or event type, by
 * prefixes or one regex), so the stream-name prefixes go to the server when given, and the event
 * types otherwise; the other dimension is checked client-side. A store confined to a stream
 * prefix always sends that prefix. Without a filter the server
 * still drops its own system streams (`$…`), which Keyward never writes.
 */
export function splitFilter(filter: SubscriptionFilter = {}, streamPrefix = ''): SplitFilter {
  const prefixes = (filter.streamNamePrefixes ?? []).map((prefix) => streamPrefix + prefix);
  const types = filter.eventTypes ?? [];
  const typeMatches = (type: string) => types.length === 0 || types.includes(type);
  if (prefixes.length > 0) {
    return {
      server: streamNameFilter({ prefixes: [...prefixes] }),
      matches: (_stream, type) => typeMatches(type),
    };
  }
  if (streamPrefix) {
    return {
      server: streamNameFilter({ prefixes: [streamPrefix] }),
      matches: (_stream, type) => typeMatches(type),
    };
  }
  if (types.length > 0) {
    return {
      server: eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` }),
      matches: () => true,
    };
  }
  return { server: streamNameFilter({ regex: '^[^$]' }), matches: () => true };
}

export const isSystemStream = (streamName: string) => streamName.startsWith('$');
