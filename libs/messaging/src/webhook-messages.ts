import {
  EXPIRY_NOTIFICATION_TYPES,
  NOTIFICATION_TYPES,
  WEBHOOK_NOTIFICATION_TYPES,
  type NotificationType,
} from './notify-messages';
import type { OrgScoped } from './command-messages';
import type { Page, PageRequest } from './query-messages';

/**
 * Webhook endpoints (issue 14 part 3, docs/webhooks.md): org admins register HTTPS endpoints
 * that receive the organization's notifications, signed with Standard Webhooks headers. The
 * commands are served by apps/command (COMMAND_SUBJECTS.*WebhookEndpoint); the queries and the
 * deliveries by apps/notifier. Times are epoch seconds unless a field says ms.
 */

/** Queries answered by the notifier (org admins only; authenticated through `kw.verify`). */
export const WEBHOOK_QUERY_SUBJECTS = {
  list: 'kw.query.webhook.list',
  get: 'kw.query.webhook.get',
  deliveries: 'kw.query.webhook.deliveries',
} as const;

/** Every webhook query subject, for the notifier's permissions. */
export const ALL_WEBHOOK_QUERY_SUBJECTS = 'kw.query.webhook.>';

/** Every notifier replica answers webhook queries from its own SQLite (one replica today). */
export const WEBHOOK_QUEUE_GROUP = 'keyward-notifier';

/** Bounds of an endpoint's fields, shared by the request DTOs, the REST schema and the console. */
export const WEBHOOK_LIMITS = {
  urlMaxLength: 2048,
  /** UTF-16 code units. */
  descriptionMaxLength: 500,
  /** Entries in `eventTypes` (when it is not null). */
  filterMaxEntries: 50,
  /** A `failing` disable's `lastError`, in characters. */
  lastErrorMaxLength: 500,
} as const;

/** Prefix wildcards an `eventTypes` entry may be: every type of that family, later ones too. */
export const WEBHOOK_EVENT_WILDCARDS = [
  'key.*',
  'service_account.*',
  'member.*',
  'organization.*',
  'webhook.*',
] as const;

/** Every notification type a webhook can receive. */
export const WEBHOOK_EVENT_TYPES: readonly NotificationType[] = [
  ...NOTIFICATION_TYPES,
  ...EXPIRY_NOTIFICATION_TYPES,
  ...WEBHOOK_NOTIFICATION_TYPES,
];

const KNOWN_ENTRIES: ReadonlySet<string> = new Set([
  ...WEBHOOK_EVENT_TYPES,
  ...WEBHOOK_EVENT_WILDCARDS,
]);

/**
 * An endpoint's event filter, one definition for the command service (which checks and stores
 * it), the notifier (which matches notifications against it) and clients.
 */
export const WEBHOOK_EVENT_FILTERS = {
  types: WEBHOOK_EVENT_TYPES,
  wildcards: WEBHOOK_EVENT_WILDCARDS,
  maxEntries: WEBHOOK_LIMITS.filterMaxEntries,

  /** Why `eventTypes` is not a valid filter, or null: null, or 1–50 known types / wildcards. */
  problemOf(eventTypes: unknown): string | null {
    if (eventTypes === null || eventTypes === undefined) return null;
    if (!Array.isArray(eventTypes)) return 'eventTypes must be null or a list of event types';
    if (eventTypes.length === 0) {
      return 'eventTypes must list at least one event type (null receives every type)';
    }
    if (eventTypes.length > WEBHOOK_LIMITS.filterMaxEntries) {
      return `eventTypes may list at most ${WEBHOOK_LIMITS.filterMaxEntries} entries`;
    }
    const unknown = eventTypes.find(
      (entry) => typeof entry !== 'string' || !KNOWN_ENTRIES.has(entry),
    );
    if (unknown !== undefined) {
      return (
        `eventTypes: ${JSON.stringify(unknown)} is not a notification type or one of ` +
        WEBHOOK_EVENT_WILDCARDS.join(', ')
      );
    }
    return null;
  },

  /** The filter as stored: null stays null; entries de-duplicated, first occurrence kept. */
  normalize(eventTypes: readonly string[] | null | undefined): string[] | null {
    return eventTypes === null || eventTypes === undefined ? null : [...new Set(eventTypes)];
  },

  /** Whether a filter takes a notification type: null takes all; else an exact type or `family.*`. */
  matches(eventTypes: readonly string[] | null, type: string): boolean {
    if (eventTypes === null) return true;
    return eventTypes.some((entry) =>
      entry.endsWith('.*') ? type.startsWith(entry.slice(0, -1)) : entry === type,
    );
  },
} as const;

export type WebhookEndpointStatus = 'enabled' | 'disabled';
export type WebhookDisabledReason = 'manual' | 'failing';

export interface WebhookEndpointView {
  id: string;
  url: string;
  description: string;
  /** Null: every notification type. */
  eventTypes: string[] | null;
  status: WebhookEndpointStatus;
  disabledReason: WebhookDisabledReason | null;
  createdAt: number;
  updatedAt: number;
  /** Filled by the notifier's queries only (null in command replies). */
  failingSince: number | null;
  lastDeliveryAt: number | null;
  lastDeliveryStatus: 'delivered' | 'failed' | null;
}

/** The registration's answer: the signing secret is shown here, and only here. */
export type WebhookEndpointCreatedReply = WebhookEndpointView & { secret: string };

export interface RegisterWebhookEndpointRequest extends OrgScoped {
  url: string;
  description?: string;
  /** Omitted or null: every type. */
  eventTypes?: string[] | null;
}

export interface UpdateWebhookEndpointRequest extends OrgScoped {
  endpointId: string;
  url?: string;
  description?: string;
  eventTypes?: string[] | null;
}

export interface WebhookEndpointRequest extends OrgScoped {
  endpointId: string;
}

export type DisableWebhookEndpointRequest = WebhookEndpointRequest;
export type EnableWebhookEndpointRequest = WebhookEndpointRequest;
export type DeleteWebhookEndpointRequest = WebhookEndpointRequest;

/** `kw.cmd.webhook.disable-failing`: the notifier, with the operator token; actor `system`. */
export interface DisableFailingWebhookEndpointRequest {
  orgId: string;
  endpointId: string;
  /** ISO 8601: the first failed attempt after the endpoint's last success. */
  failingSince: string;
  /** The last attempt's error; at most WEBHOOK_LIMITS.lastErrorMaxLength characters are kept. */
  lastError: string;
}

/** `kw.cmd.webhook.delete` answers an empty object (REST 204). */
export type DeleteWebhookEndpointReply = Record<string, never>;

export type ListWebhookEndpointsRequest = PageRequest;
export type WebhookEndpointPage = Page<WebhookEndpointView>;

export interface GetWebhookEndpointRequest extends OrgScoped {
  endpointId: string;
}

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'abandoned'] as const;
/** failed: gave up after the retry window; abandoned: the endpoint was disabled or deleted first. */
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface ListWebhookDeliveriesRequest extends PageRequest {
  endpointId: string;
  status?: WebhookDeliveryStatus;
}

export interface WebhookAttemptView {
  attempt: number;
  /** Epoch ms. */
  at: number;
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  outcome: 'delivered' | 'failed';
}

export interface WebhookDeliveryView {
  /** The `webhook-id` header: the notification's eventId, the same on every retry. */
  id: string;
  type: NotificationType;
  position: string;
  status: WebhookDeliveryStatus;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; null once finished. */
  nextAttemptAt: number | null;
  attempts: WebhookAttemptView[];
}

export type WebhookDeliveryPage = Page<WebhookDeliveryView>;
