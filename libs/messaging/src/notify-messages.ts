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
 * Time-driven notices (issue 14 part 4): a key's expiry coming up and reached, from deadlines the
 * notifier derives from the store. Same payload and subjects; `eventId` is
 * `<type>:<keyId>:<expiresAt epoch ms>` and `position` the store position of the event that set
 * that expiry (docs/notifications.md "Expiry notices").
 */
export const EXPIRY_NOTIFICATION_TYPES = ['key.expiring_soon', 'key.expired'] as const;

export type ExpiryNotificationType = (typeof EXPIRY_NOTIFICATION_TYPES)[number];

/**
 * Changes to an organization's webhook endpoints (issue 14 part 3, docs/webhooks.md); also the
 * audit log's actions for them. Their data never carries the endpoint's secret, sealed or not.
 */
export const WEBHOOK_NOTIFICATION_TYPES = [
  'webhook.endpoint_registered',
  'webhook.endpoint_updated',
  'webhook.endpoint_disabled',
  'webhook.endpoint_enabled',
  'webhook.endpoint_deleted',
] as const;

export type WebhookNotificationType = (typeof WEBHOOK_NOTIFICATION_TYPES)[number];

export type NotificationType =
  (typeof NOTIFICATION_TYPES)[number] | ExpiryNotificationType | WebhookNotificationType;

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

/**
 * `system`: Keyward itself — the time-driven expiry notices (no one acted), and a webhook
 * endpoint disabled because its deliveries kept failing.
 */
export type NotificationActor =
  | { kind: 'member' | 'serviceAccount'; id: string }
  | { kind: 'operator' | 'leakReport' | 'system'; id: null };

/** `system` also for an endpoint disabled because its deliveries kept failing. */
export type NotificationTargetKind =
  'organization' | 'role' | 'member' | 'serviceAccount' | 'key' | 'webhookEndpoint';

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
    /** Null: the deployment default; 0: no `key.expiring_soon` notice. */
    expiryNoticeSeconds: number | null;
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
  /** `successorKeyId` when the expiry was set by a rotation (the key that replaces this one). */
  'key.expiring_soon': { owner: NotificationPrincipal; expiresAt: string; successorKeyId?: string };
  'key.expired': { owner: NotificationPrincipal; expiresAt: string; successorKeyId?: string };
  'webhook.endpoint_registered': {
    url: string;
    description: string;
    /** Null: every notification type. */
    eventTypes: string[] | null;
  };
  /** Only the fields that changed. */
  'webhook.endpoint_updated': { url?: string; description?: string; eventTypes?: string[] | null };
  'webhook.endpoint_disabled': {
    reason: 'manual' | 'failing';
    /** ISO 8601; for `failing`: the first failure after the last success. */
    failingSince?: string;
    lastError?: string;
  };
  'webhook.endpoint_enabled': Record<string, never>;
  'webhook.endpoint_deleted': Record<string, never>;
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
