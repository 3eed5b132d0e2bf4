import { DomainError } from '@keyward/domain';
import { WEBHOOK_EVENT_FILTERS } from '@keyward/messaging';

/**
 * An `eventTypes` as sent (anything: the request DTO lets it through so that a bad filter has
 * its own code), as stored: absent stays absent, null is every type, a list is de-duplicated.
 */
export function checkedEventTypes(eventTypes: unknown): string[] | null | undefined {
  if (eventTypes === undefined) return undefined;
  const problem = WEBHOOK_EVENT_FILTERS.problemOf(eventTypes);
  if (problem !== null) {
    throw new DomainError('WEBHOOK.INVALID_FILTER', problem, { field: 'eventTypes' });
  }
  return WEBHOOK_EVENT_FILTERS.normalize(eventTypes as string[] | null);
}
