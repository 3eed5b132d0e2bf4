import type { RecordedEvent } from '@keyward/event-store';
import type { Notification } from '@keyward/messaging';
import { deadlineChangesOf, type DeadlineChange } from './expiry-deadlines';
import { leadChangesOf, type LeadChange } from './expiry-leads';
import { endpointChangesOf, type EndpointChange } from './webhooks/endpoint-changes';

/** A notification published now: enqueue one webhook delivery per endpoint that takes it. */
export interface DeliverChange {
  kind: 'deliver';
  notification: Notification;
}

/**
 * What one stored event changes in the notifier's SQLite file besides the checkpoint: key
 * deadlines (`set`, `end`, `endOwner`), organizations' expiry leads (`lead`), webhook endpoints
 * (`endpoint…`) and the delivery queue (`deliver`). The relay collects them per event and the
 * checkpoint write applies them, in store order, in the checkpoint's transaction.
 */
export type StoreChange = DeadlineChange | LeadChange | EndpointChange | DeliverChange;

/** What the expiry scheduler re-plans on. */
export type ExpiryChange = DeadlineChange | LeadChange;

/** The parts of the file folded from the store, each of which an upgraded file may already hold. */
export type FoldPart = 'deadlines' | 'leads' | 'endpoints';

/** False for a part that already holds the event (an upgraded file). */
export type FoldParts = Record<FoldPart, boolean>;

const EVERY_PART: FoldParts = { deadlines: true, leads: true, endpoints: true };

/**
 * The changes of one event, in the order they apply: its lead, its deadlines, its endpoint
 * change, then its deliveries (so an endpoint's state at the event's position decides: a
 * registration is delivered to the new endpoint itself, a disabling is not).
 */
export function changesOf(
  event: RecordedEvent,
  notification: Notification | null,
  parts: FoldParts = EVERY_PART,
): StoreChange[] {
  return [
    ...(parts.leads ? leadChangesOf(event) : []),
    ...(parts.deadlines ? deadlineChangesOf(event) : []),
    ...(parts.endpoints ? endpointChangesOf(event) : []),
    ...(notification === null ? [] : [{ kind: 'deliver' as const, notification }]),
  ];
}

/** The key-deadline and lead changes among them (what the expiry scheduler re-plans on). */
export function expiryChangesIn(changes: readonly StoreChange[]): ExpiryChange[] {
  return changes.filter(
    (change): change is ExpiryChange =>
      change.kind === 'set' ||
      change.kind === 'end' ||
      change.kind === 'endOwner' ||
      change.kind === 'lead',
  );
}
