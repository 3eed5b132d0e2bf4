import type { Actor } from '../actor';
import type { DomainCommand } from '../decider';

/**
 * The URL and the filter arrive checked and normalized (the command service applies the URL
 * policy, which needs DNS, and the filter's list of notification types), and the secret sealed:
 * the domain decides who may do what to which endpoint, and what changes.
 */
export type RegisterWebhookEndpoint = DomainCommand<
  'RegisterWebhookEndpoint',
  {
    actor: Actor;
    endpointId: string;
    url: string;
    description: string;
    eventTypes: string[] | null;
    sealedSecret: string;
  }
>;

/** An absent field is left as it is; `eventTypes: null` means every type. */
export type UpdateWebhookEndpoint = DomainCommand<
  'UpdateWebhookEndpoint',
  { actor: Actor; url?: string; description?: string; eventTypes?: string[] | null }
>;

export type DisableWebhookEndpoint = DomainCommand<'DisableWebhookEndpoint', { actor: Actor }>;

export type EnableWebhookEndpoint = DomainCommand<'EnableWebhookEndpoint', { actor: Actor }>;

export type DeleteWebhookEndpoint = DomainCommand<'DeleteWebhookEndpoint', { actor: Actor }>;

/**
 * Sent by the notifier (with the operator token) for an endpoint whose deliveries have all failed
 * for too long; no one acted, so there is no actor: the event is recorded as `system`'s.
 */
export type DisableFailingWebhookEndpoint = DomainCommand<
  'DisableFailingWebhookEndpoint',
  { orgId: string; failingSince: string; lastError: string }
>;

export type WebhookEndpointCommand =
  | RegisterWebhookEndpoint
  | UpdateWebhookEndpoint
  | DisableWebhookEndpoint
  | EnableWebhookEndpoint
  | DeleteWebhookEndpoint
  | DisableFailingWebhookEndpoint;
