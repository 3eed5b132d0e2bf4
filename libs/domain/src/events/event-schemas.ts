import { z } from 'zod';
import { PERMISSIONS } from '../permissions';
import type { EventOfType, KeywardEventType } from './keyward-event';

/*
 * The stored shape of every event's data, current version. Fields beyond these are allowed (a
 * newer writer may add some) and ignored by this code; a missing or mistyped field is a corrupt
 * event. Kept beside the event
 * types in libs/domain; `decodeEvent` is their only reader.
 */
const id = z.string();
const permission = z.enum(PERMISSIONS);
const principal = z.object({ kind: z.enum(['member', 'serviceAccount']), id });
const grant = z.object({
  resource: z.string(),
  role: z.string(),
  permissions: z.array(permission),
});
const orgRole = z.enum(['admin', 'member']);
const revocationReason = z.enum([
  'manual',
  'revoke_all',
  'account_deleted',
  'member_removed',
  'leaked',
  'expired',
]);
const nameReservation = { orgId: id, name: z.string(), accountId: id };
const endpointIds = { orgId: id, endpointId: id };
const eventTypes = z.array(z.string()).nullable();

export const EVENT_DATA_SCHEMAS = {
  OrganizationCreated: z.object({ orgId: id, name: z.string() }),
  RoleDefined: z.object({ orgId: id, name: z.string(), permissions: z.array(permission) }),
  OrganizationPolicySet: z.object({
    orgId: id,
    maxActiveKeysPerPrincipal: z.number(),
    maxKeyLifetimeSeconds: z.number().nullable(),
    allowedServiceAccountRoles: z.array(z.string()).nullable(),
    expiryNoticeSeconds: z.number().nullable(),
  }),
  MemberAdded: z.object({
    orgId: id,
    userId: id,
    displayName: z.string(),
    orgRole,
    grants: z.array(grant),
  }),
  MemberGrantsChanged: z.object({ orgId: id, userId: id, orgRole, grants: z.array(grant) }),
  MemberRemoved: z.object({ orgId: id, userId: id, reason: z.string() }),
  ServiceAccountCreated: z.object({
    orgId: id,
    accountId: id,
    name: z.string(),
    description: z.string(),
    role: z.string(),
    permissions: z.array(permission),
    resources: z.array(z.string()),
    enableBasicAuth: z.boolean(),
    createdBy: principal,
  }),
  ServiceAccountUpdated: z.object({
    orgId: id,
    accountId: id,
    name: z.string().optional(),
    description: z.string().optional(),
  }),
  ServiceAccountDeleted: z.object({ orgId: id, accountId: id, reason: z.string() }),
  KeyIssued: z.object({
    orgId: id,
    keyId: id,
    owner: principal,
    name: z.string(),
    description: z.string(),
    keyHash: z.string(),
    hint: z.string(),
    expiresAt: z.number().nullable(),
  }),
  KeyRevoked: z.object({ orgId: id, keyId: id, owner: principal, reason: revocationReason }),
  KeyRotated: z.object({
    orgId: id,
    keyId: id,
    owner: principal,
    successorKeyId: id,
    expiresAt: z.number(),
  }),
  ServiceAccountNameReserved: z.object({ ...nameReservation, reservedAt: z.number() }),
  ServiceAccountNameReleased: z.object(nameReservation),
  WebhookEndpointRegistered: z.object({
    ...endpointIds,
    url: z.string(),
    description: z.string(),
    eventTypes,
    sealedSecret: z.string(),
  }),
  WebhookEndpointUpdated: z.object({
    ...endpointIds,
    url: z.string().optional(),
    description: z.string().optional(),
    eventTypes: eventTypes.optional(),
  }),
  WebhookEndpointDisabled: z.object({
    ...endpointIds,
    reason: z.enum(['manual', 'failing']),
    failingSince: z.string().optional(),
    lastError: z.string().optional(),
  }),
  WebhookEndpointEnabled: z.object(endpointIds),
  WebhookEndpointDeleted: z.object(endpointIds),
} satisfies Record<KeywardEventType, z.ZodType>;

const actor = z.union([
  z.object({ kind: z.enum(['member', 'serviceAccount']), id }),
  z.object({ kind: z.literal('operator') }),
  z.object({ kind: z.literal('leakReport') }),
  z.object({ kind: z.literal('system') }),
]);

/**
 * The metadata, checked field by field: each is optional here (events written by tools and
 * benchmarks carry less), and a field of the wrong type is a corrupt event.
 */
export const EVENT_METADATA_SCHEMA = z
  .object({
    eventId: z.string(),
    actor,
    orgId: z.string(),
    correlationId: z.string(),
    causationId: z.string(),
    source: z.object({
      ip: z.string().nullable(),
      userAgent: z.string().nullable(),
      channel: z.enum(['http', 'nats']),
    }),
    occurredAt: z.string(),
    schemaVersion: z.number().int().nonnegative(),
    commandType: z.string(),
    idempotencyKey: z.string(),
    requestFingerprint: z.string(),
  })
  .partial();

/** Compiles only while every schema's output is its event type's data (checked, not cast). */
type SchemaFits = {
  [T in KeywardEventType]: z.infer<(typeof EVENT_DATA_SCHEMAS)[T]> extends EventOfType<T>['data']
    ? T
    : never;
}[KeywardEventType];
export const EVERY_SCHEMA_FITS_ITS_TYPE: KeywardEventType extends SchemaFits ? true : never = true;
