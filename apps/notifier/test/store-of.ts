import type {
  EventStore,
  RecordedEvent,
  Subscription,
  SubscriptionItem,
} from '@keyward/event-store';

/**
 * A store holding `events`: a subscription delivers those after `from`, then caught-up, then
 * waits until stopped.
 */
export function storeOf(events: RecordedEvent[]): EventStore {
  return {
    subscribeToAll: ({ from }: { from: bigint | 'start' }): Subscription => {
      let stop!: () => void;
      const stopped = new Promise<void>((resolve) => (stop = resolve));
      return {
        stop: async () => stop(),
        async *[Symbol.asyncIterator](): AsyncIterator<SubscriptionItem> {
          for (const event of events) {
            if (from === 'start' || event.position > from) yield { kind: 'event', event };
          }
          yield { kind: 'caught-up', position: events[events.length - 1]?.position ?? null };
          await stopped;
        },
      };
    },
  } as unknown as EventStore;
}
