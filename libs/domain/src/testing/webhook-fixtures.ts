import type { Actor } from '../actor';
import type {
  RegisterWebhookEndpoint,
  UpdateWebhookEndpoint,
  WebhookEndpointCommand,
} from '../webhook/webhook-commands';
import type { WebhookEndpointEvent } from '../webhook/webhook-events';
import { ORG } from './fixtures';

export const ENDPOINT_ID = 'whe_0123456789abcdef0123456789abcdef';
export const ENDPOINT_URL = 'https://hooks.example.com/keyward';
export const SEALED = 'v1.0a1b2c3d.aXY.Y2lwaGVydGV4dA';

export function registerCommand(
  actor: Actor,
  overrides: Partial<Omit<RegisterWebhookEndpoint['data'], 'actor'>> = {},
): RegisterWebhookEndpoint {
  const data = {
    actor,
    endpointId: ENDPOINT_ID,
    url: ENDPOINT_URL,
    description: 'deploy bot',
    eventTypes: ['key.*'],
    sealedSecret: SEALED,
  };
  return { type: 'RegisterWebhookEndpoint', data: { ...data, ...overrides } };
}

export const endpointRegistered: WebhookEndpointEvent = {
  type: 'WebhookEndpointRegistered',
  data: {
    orgId: ORG,
    endpointId: ENDPOINT_ID,
    url: ENDPOINT_URL,
    description: 'deploy bot',
    eventTypes: ['key.*'],
    sealedSecret: SEALED,
  },
};

export const endpointDisabled = (
  reason: 'manual' | 'failing' = 'manual',
): WebhookEndpointEvent => ({
  type: 'WebhookEndpointDisabled',
  data: { orgId: ORG, endpointId: ENDPOINT_ID, reason },
});

export const endpointEnabled: WebhookEndpointEvent = {
  type: 'WebhookEndpointEnabled',
  data: { orgId: ORG, endpointId: ENDPOINT_ID },
};

export const endpointDeleted: WebhookEndpointEvent = {
  type: 'WebhookEndpointDeleted',
  data: { orgId: ORG, endpointId: ENDPOINT_ID },
};

export function updateCommand(
  actor: Actor,
  changes: Omit<UpdateWebhookEndpoint['data'], 'actor'>,
): WebhookEndpointCommand {
  return { type: 'UpdateWebhookEndpoint', data: { actor, ...changes } };
}

export function disableFailingCommand(
  orgId: string = ORG,
  lastError = 'HTTP 503 Service Unavailable',
): WebhookEndpointCommand {
  return {
    type: 'DisableFailingWebhookEndpoint',
    data: { orgId, failingSince: '2026-12-02T00:00:00.000Z', lastError },
  };
}
