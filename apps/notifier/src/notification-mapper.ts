import {
  decodeEvent,
  type ActorRef,
  type EventOfType,
  type KeywardEventType,
  type PrincipalRef,
} from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import type {
  Notification,
  NotificationActor,
  NotificationData,
  NotificationTargetKind,
  NotificationType,
} from '@keyward/messaging';
import { skipUnknownEvent } from '@keyward/transport';

/** What one event type becomes: its notification's type, target and data, or null (none). */
type Describe<T extends KeywardEventType> = (data: EventOfType<T>['data']) => Described | null;

interface Described<N extends NotificationType = NotificationType> {
  type: N;
  target: { kind: NotificationTargetKind; id: string };
  data: NotificationData[N];
}

const described = <N extends NotificationType>(
  type: N,
  target: { kind: NotificationTargetKind; id: string },
  data: NotificationData[N],
): Described => ({ type, target, data }) as Described;

/**
 * Every event type, and what it notifies (a new type does not compile until it is decided). Data
 * is copied field by field, never spread: a key's hash (`KeyIssued.keyHash`) and its display hint
 * never leave the store this way, nor any field a later schema version adds.
 */
const DESCRIBE: { readonly [T in KeywardEventType]: Describe<T> } = {
  OrganizationCreated: (data) =>
    described(
      'organization.created',
      { kind: 'organization', id: data.orgId },
      { name: data.name },
    ),
  RoleDefined: (data) =>
    described(
      'organization.role_defined',
      { kind: 'role', id: data.name },
      { name: data.name, permissions: [...data.permissions] },
    ),
  OrganizationPolicySet: (data) =>
    described(
      'organization.policy_set',
      { kind: 'organization', id: data.orgId },
      {
        maxActiveKeysPerPrincipal: data.maxActiveKeysPerPrincipal,
        maxKeyLifetimeSeconds: data.maxKeyLifetimeSeconds,
        allowedServiceAccountRoles: data.allowedServiceAccountRoles,
        expiryNoticeSeconds: data.expiryNoticeSeconds,
      },
    ),
  MemberAdded: (data) =>
    described(
      'member.added',
      { kind: 'member', id: data.userId },
      { displayName: data.displayName, orgRole: data.orgRole, grants: grantsOf(data.grants) },
    ),
  MemberGrantsChanged: (data) =>
    described(
      'member.grants_changed',
      { kind: 'member', id: data.userId },
      { orgRole: data.orgRole, grants: grantsOf(data.grants) },
    ),
  MemberRemoved: (data) =>
    described('member.removed', { kind: 'member', id: data.userId }, { reason: data.reason }),
  ServiceAccountCreated: (data) =>
    described(
      'service_account.created',
      { kind: 'serviceAccount', id: data.accountId },
      {
        name: data.name,
        description: data.description,
        role: data.role,
        permissions: [...data.permissions],
        resources: [...data.resources],
        enableBasicAuth: data.enableBasicAuth,
      },
    ),
  ServiceAccountUpdated: (data) =>
    described(
      'service_account.updated',
      { kind: 'serviceAccount', id: data.accountId },
      {
        ...(data.name === undefined ? {} : { name: data.name }),
        ...(data.description === undefined ? {} : { description: data.description }),
      },
    ),
  ServiceAccountDeleted: (data) =>
    described(
      'service_account.deleted',
      { kind: 'serviceAccount', id: data.accountId },
      { reason: data.reason },
    ),
  // Name reservations are how uniqueness is decided, not lifecycle: no notification.
  ServiceAccountNameReserved: () => null,
  ServiceAccountNameReleased: () => null,
  KeyIssued: (data) =>
    described(
      'key.issued',
      { kind: 'key', id: data.keyId },
      {
        owner: principal(data.owner),
        name: data.name,
        description: data.description,
        expiresAt: data.expiresAt === null ? null : isoOf(data.expiresAt),
      },
    ),
  KeyRevoked: (data) =>
    described(
      'key.revoked',
      { kind: 'key', id: data.keyId },
      { owner: principal(data.owner), reason: data.reason },
    ),
  KeyRotated: (data) =>
    described(
      'key.rotated',
      { kind: 'key', id: data.keyId },
      {
        owner: principal(data.owner),
        successorKeyId: data.successorKeyId,
        expiresAt: isoOf(data.expiresAt),
      },
    ),
  // The sealed secret is not copied: it stays in the store (and the notifier's endpoint table).
  WebhookEndpointRegistered: (data) =>
    described('webhook.endpoint_registered', endpoint(data.endpointId), {
      url: data.url,
      description: data.description,
      eventTypes: data.eventTypes === null ? null : [...data.eventTypes],
    }),
  WebhookEndpointUpdated: (data) =>
    described('webhook.endpoint_updated', endpoint(data.endpointId), {
      ...(data.url === undefined ? {} : { url: data.url }),
      ...(data.description === undefined ? {} : { description: data.description }),
      ...(data.eventTypes === undefined
        ? {}
        : { eventTypes: data.eventTypes === null ? null : [...data.eventTypes] }),
    }),
  WebhookEndpointDisabled: (data) =>
    described('webhook.endpoint_disabled', endpoint(data.endpointId), {
      reason: data.reason,
      ...(data.failingSince === undefined ? {} : { failingSince: data.failingSince }),
      ...(data.lastError === undefined ? {} : { lastError: data.lastError }),
    }),
  WebhookEndpointEnabled: (data) =>
    described('webhook.endpoint_enabled', endpoint(data.endpointId), {}),
  WebhookEndpointDeleted: (data) =>
    described('webhook.endpoint_deleted', endpoint(data.endpointId), {}),
};

/**
 * The notification of one stored event, or null: a type that notifies nothing, or a type this
 * version does not know (a newer writer; skipped and logged). A known type that does not decode
 * throws (`CorruptEventError`): the notifier stops there rather than skip it silently.
 */
export function toNotification(recorded: RecordedEvent): Notification | null {
  const decoded = decodeEvent(recorded);
  if (!decoded.known) {
    skipUnknownEvent('notifier', decoded.type);
    return null;
  }
  const { event, metadata } = decoded;
  const describe = DESCRIBE[event.type] as Describe<KeywardEventType>;
  const what = describe(event.data);
  if (what === null) return null;
  return {
    eventId: metadata.eventId ?? recorded.id,
    type: what.type,
    orgId: event.data.orgId,
    position: recorded.position.toString(),
    occurredAt: metadata.occurredAt ?? new Date(0).toISOString(),
    actor: actorOf(metadata.actor ?? { kind: 'operator' }),
    target: what.target,
    data: what.data,
  } as Notification;
}

function actorOf(actor: ActorRef): NotificationActor {
  return actor.kind === 'member' || actor.kind === 'serviceAccount'
    ? { kind: actor.kind, id: actor.id }
    : { kind: actor.kind, id: null };
}

function endpoint(endpointId: string): { kind: 'webhookEndpoint'; id: string } {
  return { kind: 'webhookEndpoint', id: endpointId };
}

function principal(owner: PrincipalRef): { kind: PrincipalRef['kind']; id: string } {
  return { kind: owner.kind, id: owner.id };
}

function grantsOf(
  grants: readonly { resource: string; role: string; permissions: readonly string[] }[],
) {
  return grants.map((g) => ({
    resource: g.resource,
    role: g.role,
    permissions: [...g.permissions],
  }));
}

function isoOf(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
