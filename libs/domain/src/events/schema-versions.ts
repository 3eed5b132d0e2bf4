import type { KeywardEventType } from './keyward-event';

/**
 * The version of each event type's data that this code writes (`schemaVersion` in the event's
 * metadata). A change of shape bumps its type here and adds an upcaster from the old version
 * (`upcasters.ts`), so events already stored are read as the new shape and never rewritten.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<KeywardEventType, number>> = {
  OrganizationCreated: 1,
  RoleDefined: 1,
  // 2: expiryNoticeSeconds (version 1 had none: the deployment's default lead).
  OrganizationPolicySet: 2,
  MemberAdded: 1,
  MemberGrantsChanged: 1,
  MemberRemoved: 1,
  ServiceAccountCreated: 1,
  ServiceAccountUpdated: 1,
  ServiceAccountDeleted: 1,
  KeyIssued: 1,
  KeyRevoked: 1,
  KeyRotated: 1,
  // 2: reservedAt in the data (version 1 had only the metadata's occurredAt).
  ServiceAccountNameReserved: 2,
  ServiceAccountNameReleased: 1,
  WebhookEndpointRegistered: 1,
  WebhookEndpointUpdated: 1,
  WebhookEndpointDisabled: 1,
  WebhookEndpointEnabled: 1,
  WebhookEndpointDeleted: 1,
};

/** The version to stamp on an event of `type` written now (1 for a type this code does not know). */
export function schemaVersionOf(type: string): number {
  return Object.prototype.hasOwnProperty.call(EVENT_SCHEMA_VERSIONS, type)
    ? EVENT_SCHEMA_VERSIONS[type as KeywardEventType]
    : 1;
}
