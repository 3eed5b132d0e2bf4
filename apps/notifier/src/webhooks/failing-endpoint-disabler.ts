import type { NatsConnection } from 'nats';
import {
  COMMAND_SUBJECTS,
  NatsJsonClient,
  WEBHOOK_LIMITS,
  type DisableFailingWebhookEndpointRequest,
  type WebhookEndpointView,
} from '@keyward/messaging';
import type { FailingEndpoint } from './endpoint-table';

/** Asks the command service to disable an endpoint that keeps failing; throws when it refuses. */
export type DisableFailingEndpoint = (endpoint: FailingEndpoint) => Promise<void>;

/**
 * `kw.cmd.webhook.disable-failing` with the deployment's operator token: the command service
 * records `WebhookEndpointDisabled` (reason `failing`, actor `system`); the notifier learns of it
 * from the store like of every change.
 */
export function natsFailingDisabler(
  connection: NatsConnection,
  operatorToken: string,
  timeoutMs = 10_000,
): DisableFailingEndpoint {
  const client = new NatsJsonClient(connection, timeoutMs);
  return async (endpoint) => {
    const request: DisableFailingWebhookEndpointRequest = {
      orgId: endpoint.orgId,
      endpointId: endpoint.id,
      failingSince: new Date(endpoint.failingSince).toISOString(),
      lastError: (endpoint.lastError ?? 'failed').slice(0, WEBHOOK_LIMITS.lastErrorMaxLength),
    };
    await client.request<WebhookEndpointView>(
      COMMAND_SUBJECTS.disableFailingWebhookEndpoint,
      request,
      { operatorToken },
    );
  };
}
