import { NOTIFY_SUBJECT_PREFIX } from './subjects';

/**
 * Lifecycle notifications (SPEC §4 "Notifications and webhooks", docs/notifications.md): one
 * message per lifecycle event on `kw.notify.<orgId>.<type>`, published by apps/notifier from
 * the event store, at least once. Consumers de-duplicate by `eventId`.
 */

/** The JetStream stream that keeps notifications for late consumers (`kw.notify.>`). */
export const NOTIFY_STREAM = 'KEYWARD_NOTIFY';

/** Every notification type published today; the names are the audit log's actions. */
export const NOTIFICATION_TYPES = [
  'organization.created',
  'organization.role_defined',
  'organization.policy_set',
  'member.added',
  'member.grants_changed',
  'member.removed',
  'service_account.created',
  'service_account.updated',
  'service_account.deleted',
  'key.issued',
  'key.revoked',
  'key.rotated',
] as const;

/**
 * Time-driven notices, reserved for a later part of issue 14 (`key.expiring_soon`, `key.expired`):
 * they will use the same payload and subjects, with `position` the store position they derive from.
 */
export const RESERVED_NOTIFICATION_TYPES = ['key.expiring_soon', 'key.expired'] as const;

export type NotificationType =
  (typeof NOTIFICATION_TYPES)[number] | (typeof RESERVED_NOTIFICATION_TYPES)[number];

/** `kw.notify.<orgId>.<type>`, e.g. `kw.notify.acme.key.revoked`. */
export function notifySubject(orgId: string, type: NotificationType): string {
  return `${NOTIFY_SUBJECT_PREFIX}.${orgId}.${type}`;
}

/** Every notification of one organization: `kw.notify.<orgId>.>`. */
export function notifyOrgSubjects(orgId: string): string {
  return `${NOTIFY_SUBJECT_PREFIX}.${orgId}.>`;
}

/** Every notification of every organization: `kw.notify.>`. */
export const ALL_NOTIFY_SUBJECTS = `${NOTIFY_SUBJECT_PREFIX}.>`;

/** Header carrying the notification's store position (decimal), beside `Nats-Msg-Id` (the event id). */
export const NOTIFY_POSITION_HEADER = 'Keyward-Position';

export type NotificationActor =
  { kind: 'member' | 'serviceAccount'; id: string } | { kind: 'operator' | 'leakReport'; id: null };

export type NotificationTargetKind = 'organization' | 'role' | 'member' | 'serviceAccount' | 'key';

export interface NotificationPrincipal {
  kind: 'member' | 'serviceAccount';
  id: string;
}

/** What each type carries in `data`: never a key's secret or hash. Times are ISO 8601. */
export interface NotificationData {
  'organization.created': { name: string };
  'organization.role_defined': { name: string; permissions: string[] };
  'organization.policy_set': {
    maxActiveKeysPerPrincipal: number;
    maxKeyLifetimeSeconds: number | null;
    allowedServiceAccountRoles: string[] | null;
  };
  'member.added': {
    displayName: string;
    orgRole: string;
    grants: { resource: string; role: string; permissions: string[] }[];
  };
  'member.grants_changed': {
    orgRole: string;
    grants: { resource: string; role: string; permissions: string[] }[];
  };
  'member.removed': { reason: string };
  'service_account.created': {
    name: string;
    description: string;
    role: string;
    permissions: string[];
    resources: string[];
    enableBasicAuth: boolean;
  };
  'service_account.updated': { name?: string; description?: string };
  'service_account.deleted': { reason: string };
  'key.issued': {
    owner: NotificationPrincipal;
    name: string;
    description: string;
    expiresAt: string | null;
  };
  'key.revoked': { owner: NotificationPrincipal; reason: string };
  'key.rotated': { owner: NotificationPrincipal; successorKeyId: string; expiresAt: string };
  'key.expiring_soon': { owner: NotificationPrincipal; expiresAt: string };
  'key.expired': { owner: NotificationPrincipal; expiresAt: string };
}

/** One notification, the JSON body of a `kw.notify.<orgId>.<type>` message. */
export type Notification<T extends NotificationType = NotificationType> = T extends NotificationType
  ? {
      /** The event's id (`Nats-Msg-Id` too): the same on every redelivery. */
      eventId: string;
      type: T;
      orgId: string;
      /** The event's store position, as a decimal string (comparable within one store). */
      position: string;
      /** ISO 8601, when the command recorded the event. */
      occurredAt: string;
      actor: NotificationActor;
      target: { kind: NotificationTargetKind; id: string };
      data: NotificationData[T];
    }
  : never;
