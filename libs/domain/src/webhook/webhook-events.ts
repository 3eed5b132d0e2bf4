import type { DomainEvent } from '../decider';

/**
 * An org's webhook endpoint (docs/webhooks.md). The signing secret is stored only sealed
 * (AES-256-GCM under the deployment's key, the endpoint id as associated data): the plain secret
 * is shown once, in the registration's reply, and never enters an event.
 */
export type WebhookEndpointRegistered = DomainEvent<
  'WebhookEndpointRegistered',
  {
    orgId: string;
    endpointId: string;
    url: string;
    description: string;
    /** Null: every notification type. */
    eventTypes: string[] | null;
    sealedSecret: string;
  }
>;

/** Only the fields that changed. */
export type WebhookEndpointUpdated = DomainEvent<
  'WebhookEndpointUpdated',
  {
    orgId: string;
    endpointId: string;
    url?: string;
    description?: string;
    eventTypes?: string[] | null;
  }
>;

export type WebhookDisabledReason = 'manual' | 'failing';

/** `failing`: the notifier gave up on it; `failingSince` is ISO 8601, `lastError` ≤ 500 chars. */
export type WebhookEndpointDisabled = DomainEvent<
  'WebhookEndpointDisabled',
  {
    orgId: string;
    endpointId: string;
    reason: WebhookDisabledReason;
    failingSince?: string;
    lastError?: string;
  }
>;

export type WebhookEndpointEnabled = DomainEvent<
  'WebhookEndpointEnabled',
  { orgId: string; endpointId: string }
>;

export type WebhookEndpointDeleted = DomainEvent<
  'WebhookEndpointDeleted',
  { orgId: string; endpointId: string }
>;

export type WebhookEndpointEvent =
  | WebhookEndpointRegistered
  | WebhookEndpointUpdated
  | WebhookEndpointDisabled
  | WebhookEndpointEnabled
  | WebhookEndpointDeleted;
