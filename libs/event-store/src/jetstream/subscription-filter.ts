import type { RecordedEvent, SubscriptionFilter } from '../event-store.port';

/** The client-side half of a filter; an absent or empty list does not constrain. */
export class SubscriptionFilterMatcher {
  private readonly prefixes: readonly string[] | undefined;
  private readonly types: ReadonlySet<string> | undefined;

  constructor(filter: SubscriptionFilter | undefined) {
    this.prefixes = filter?.streamNamePrefixes?.length ? filter.streamNamePrefixes : undefined;
    this.types = filter?.eventTypes?.length ? new Set(filter.eventTypes) : undefined;
  }

  matchesStream(streamName: string): boolean {
    return !this.prefixes || this.prefixes.some((prefix) => streamName.startsWith(prefix));
  }

  matchesType(event: RecordedEvent): boolean {
    return !this.types || this.types.has(event.type);
  }
}
