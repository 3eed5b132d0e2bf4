import type { KeyEvent } from '../key-events';
import type { MemberAdded, MemberGrantsChanged, MemberRemoved } from '../member/member-events';
import type { OrganizationEvent } from '../organization/organization-events';
import type { ServiceAccountNameEvent } from '../service-account-name/service-account-name-messages';
import type {
  ServiceAccountCreated,
  ServiceAccountDeleted,
  ServiceAccountUpdated,
} from '../service-account/service-account-events';
import type { WebhookEndpointEvent } from '../webhook/webhook-events';

/**
 * Every event Keyward stores, each with its typed data: the one union the read side (projector,
 * verifier index, key locator) and the command fold read events as, through `decodeEvent`. A
 * switch over `KeywardEvent['type']` that ends in `assertNever` fails to compile when a type is
 * added and not handled — see docs/events.md for the catalogue.
 */
export type KeywardEvent =
  | OrganizationEvent
  | MemberAdded
  | MemberGrantsChanged
  | MemberRemoved
  | ServiceAccountCreated
  | ServiceAccountUpdated
  | ServiceAccountDeleted
  | KeyEvent
  | ServiceAccountNameEvent
  | WebhookEndpointEvent;

export type KeywardEventType = KeywardEvent['type'];

/** The event of one type, e.g. `EventOfType<'KeyIssued'>`. */
export type EventOfType<T extends KeywardEventType> = Extract<KeywardEvent, { type: T }>;

/** Ends a switch over event types: compiles only when every type was handled above it. */
export function assertNever(event: never): never {
  throw new Error(`unhandled event ${JSON.stringify((event as { type?: unknown }).type)}`);
}
