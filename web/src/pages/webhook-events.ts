import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENT_WILDCARDS,
} from '../../../libs/messaging/src/webhook-messages';

/** One family of notification types, and the wildcard that takes all of them, later ones too. */
export interface EventGroup {
  prefix: string;
  label: string;
  wildcard: string;
  types: string[];
}

const LABELS: Record<string, string> = {
  'key.*': 'Keys',
  'service_account.*': 'Service accounts',
  'member.*': 'Members',
  'organization.*': 'Organization',
  'webhook.*': 'Webhooks',
};

/** Every type an endpoint can receive (the services' own lists), grouped by wildcard. */
export const EVENT_GROUPS: EventGroup[] = WEBHOOK_EVENT_WILDCARDS.map((wildcard) => {
  const prefix = wildcard.slice(0, -1);
  return {
    prefix,
    label: LABELS[wildcard] ?? wildcard,
    wildcard,
    types: WEBHOOK_EVENT_TYPES.filter((type) => type.startsWith(prefix)),
  };
});

/** The filter as the form keeps it: every type (null), or the chosen types and wildcards. */
export type EventChoice = Set<string> | null;

/** The API's `eventTypes` for a choice: null for all, else in the order the form lists them. */
export function eventTypesOf(choice: EventChoice): string[] | null {
  if (choice === null) return null;
  const ordered: string[] = [];
  for (const group of EVENT_GROUPS) {
    if (choice.has(group.wildcard)) ordered.push(group.wildcard);
    else ordered.push(...group.types.filter((type) => choice.has(type)));
  }
  return ordered;
}

/** A filter as people read it: "all events", or its entries joined. */
export function describeEvents(eventTypes: string[] | null): string {
  return eventTypes === null ? 'all events' : eventTypes.join(', ');
}
