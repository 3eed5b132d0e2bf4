import type { WebhookDisabledReason, WebhookEndpointEvent } from './webhook-events';

export interface WebhookEndpoint {
  orgId: string;
  endpointId: string;
  url: string;
  description: string;
  eventTypes: string[] | null;
  sealedSecret: string;
  /** Null while enabled. */
  disabledReason: WebhookDisabledReason | null;
}

export type WebhookEndpointState =
  | { type: 'Missing' }
  | { type: 'Active'; data: WebhookEndpoint }
  | { type: 'Deleted'; data: WebhookEndpoint };

export function initialWebhookEndpointState(): WebhookEndpointState {
  return { type: 'Missing' };
}

export function evolveWebhookEndpoint(
  state: WebhookEndpointState,
  event: WebhookEndpointEvent,
): WebhookEndpointState {
  if (event.type === 'WebhookEndpointRegistered') {
    const { orgId, endpointId, url, description, eventTypes, sealedSecret } = event.data;
    const endpoint = { orgId, endpointId, url, description, eventTypes, sealedSecret };
    return { type: 'Active', data: { ...endpoint, disabledReason: null } };
  }
  if (state.type !== 'Active') return state;
  const endpoint = state.data;
  switch (event.type) {
    case 'WebhookEndpointUpdated': {
      const { url = endpoint.url, description = endpoint.description } = event.data;
      const eventTypes =
        event.data.eventTypes === undefined ? endpoint.eventTypes : event.data.eventTypes;
      return { type: 'Active', data: { ...endpoint, url, description, eventTypes } };
    }
    case 'WebhookEndpointDisabled':
      return { type: 'Active', data: { ...endpoint, disabledReason: event.data.reason } };
    case 'WebhookEndpointEnabled':
      return { type: 'Active', data: { ...endpoint, disabledReason: null } };
    case 'WebhookEndpointDeleted':
      return { type: 'Deleted', data: endpoint };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
