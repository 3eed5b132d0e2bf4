import { requireOrgAdmin, type Actor } from '../actor';
import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import type {
  DisableFailingWebhookEndpoint,
  RegisterWebhookEndpoint,
  UpdateWebhookEndpoint,
  WebhookEndpointCommand,
} from './webhook-commands';
import type { WebhookEndpointEvent, WebhookEndpointUpdated } from './webhook-events';
import {
  evolveWebhookEndpoint,
  initialWebhookEndpointState,
  type WebhookEndpoint,
  type WebhookEndpointState,
} from './webhook-state';

/** A `failing` disable keeps at most this much of the last attempt's error. */
export const WEBHOOK_LAST_ERROR_MAX_LENGTH = 500;

function decide(
  command: WebhookEndpointCommand,
  state: WebhookEndpointState,
): WebhookEndpointEvent[] {
  switch (command.type) {
    case 'RegisterWebhookEndpoint':
      return register(command, state);
    case 'UpdateWebhookEndpoint':
      return update(command, state);
    case 'DisableWebhookEndpoint': {
      const endpoint = managedEndpoint(command.data.actor, state, 'disable webhook endpoints');
      if (endpoint.disabledReason !== null) return [];
      return [{ type: 'WebhookEndpointDisabled', data: { ...idsOf(endpoint), reason: 'manual' } }];
    }
    case 'EnableWebhookEndpoint': {
      const endpoint = managedEndpoint(command.data.actor, state, 'enable webhook endpoints');
      if (endpoint.disabledReason === null) return [];
      return [{ type: 'WebhookEndpointEnabled', data: idsOf(endpoint) }];
    }
    case 'DeleteWebhookEndpoint': {
      const endpoint = managedEndpoint(command.data.actor, state, 'delete webhook endpoints');
      return [{ type: 'WebhookEndpointDeleted', data: idsOf(endpoint) }];
    }
    case 'DisableFailingWebhookEndpoint':
      return disableFailing(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function register(
  command: RegisterWebhookEndpoint,
  state: WebhookEndpointState,
): WebhookEndpointEvent[] {
  const { actor, endpointId, url, description, eventTypes, sealedSecret } = command.data;
  requireOrgAdmin(actor, 'register webhook endpoints');
  if (state.type !== 'Missing') {
    throw new DomainError(
      'WEBHOOK.ALREADY_EXISTS',
      `webhook endpoint ${endpointId} already exists`,
    );
  }
  const data = { orgId: actor.orgId, endpointId, url, description, eventTypes, sealedSecret };
  return [{ type: 'WebhookEndpointRegistered', data }];
}

// Only fields that actually change are recorded; an update that changes nothing records nothing.
function update(command: UpdateWebhookEndpoint, state: WebhookEndpointState) {
  const { actor, url, description, eventTypes } = command.data;
  const endpoint = managedEndpoint(actor, state, 'update webhook endpoints');
  const data: WebhookEndpointUpdated['data'] = idsOf(endpoint);
  if (url !== undefined && url !== endpoint.url) data.url = url;
  if (description !== undefined && description !== endpoint.description) {
    data.description = description;
  }
  if (eventTypes !== undefined && !sameFilter(eventTypes, endpoint.eventTypes)) {
    data.eventTypes = eventTypes;
  }
  if (Object.keys(data).length === 2) return [];
  return [{ type: 'WebhookEndpointUpdated' as const, data }];
}

// A disabled endpoint (by hand or already for failing) stays as it is: the notifier may ask
// again before it has seen its first request's event.
function disableFailing(
  command: DisableFailingWebhookEndpoint,
  state: WebhookEndpointState,
): WebhookEndpointEvent[] {
  const { orgId, failingSince, lastError } = command.data;
  const endpoint = liveEndpoint(orgId, state);
  if (endpoint.disabledReason !== null) return [];
  const data = {
    ...idsOf(endpoint),
    reason: 'failing' as const,
    failingSince,
    lastError: Array.from(lastError).slice(0, WEBHOOK_LAST_ERROR_MAX_LENGTH).join(''),
  };
  return [{ type: 'WebhookEndpointDisabled', data }];
}

/** Webhooks are org-admin only: a service account whose role has `admin` is not enough. */
function managedEndpoint(
  actor: Actor,
  state: WebhookEndpointState,
  action: string,
): WebhookEndpoint {
  requireOrgAdmin(actor, action);
  return liveEndpoint(actor.orgId, state);
}

// Another org's endpoint, and a deleted one, answer exactly like a missing one.
function liveEndpoint(orgId: string, state: WebhookEndpointState): WebhookEndpoint {
  if (state.type !== 'Active' || state.data.orgId !== orgId) {
    throw new DomainError('WEBHOOK.NOT_FOUND', 'webhook endpoint was not found');
  }
  return state.data;
}

function idsOf(endpoint: WebhookEndpoint): { orgId: string; endpointId: string } {
  return { orgId: endpoint.orgId, endpointId: endpoint.endpointId };
}

function sameFilter(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((entry, i) => entry === b[i]);
}

export const webhookEndpointDecider: Decider<
  WebhookEndpointCommand,
  WebhookEndpointEvent,
  WebhookEndpointState
> = {
  decide,
  evolve: evolveWebhookEndpoint,
  initialState: initialWebhookEndpointState,
};
