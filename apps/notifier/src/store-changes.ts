import type { RecordedEvent } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { deadlineChangesOf, type DeadlineChange } from './expiry-deadlines';
import { endpointChangesOf, type EndpointChange } from './webhooks/endpoint-changes';

/** A notification published now: enqueue one webhook delivery per endpoint that takes it. */
export interface DeliverChange {
  kind: 'deliver';
  notification: Notification;
}

/**
 * What one stored event changes in the notifier's SQLite file besides the checkpoint: key
 * deadlines (`set`, `end`, `endOwner`), webhook endpoints (`endpoint…`) and the delivery queue
 * (`deliver`). The relay collects them per event and the checkpoint write applies them, in store
 * order, in the checkpoint's transaction.
 */
export type StoreChange = DeadlineChange | EndpointChange | DeliverChange;

export interface FoldParts {
  /** False for an event the key deadlines already hold (an upgraded file). */
  deadlines: boolean;
}

/**
 * The changes of one event, in the order they apply: its deadlines, its endpoint change, then
 * its deliveries (so an endpoint's state at the event's position decides: a registration is
 * delivered to the new endpoint itself, a disabling is not).
 */
export function changesOf(
  event: RecordedEvent,
  notification: Notification | null,
  parts: FoldParts = { deadlines: true },
): StoreChange[] {
  return [
    ...(parts.deadlines ? deadlineChangesOf(event) : []),
    ...endpointChangesOf(event),
    ...(notification === null ? [] : [{ kind: 'deliver' as const, notification }]),
  ];
}

/** The key-deadline changes among them (what the expiry scheduler re-plans on). */
export function deadlineChangesIn(changes: readonly StoreChange[]): DeadlineChange[] {
  return changes.filter(
    (change): change is DeadlineChange =>
      change.kind === 'set' || change.kind === 'end' || change.kind === 'endOwner',
  );
}
