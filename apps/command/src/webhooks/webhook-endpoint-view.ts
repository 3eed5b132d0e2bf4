import { DomainError, type WebhookEndpointState } from '@keyward/domain';
import type { WebhookEndpointView } from '@keyward/messaging';
import type { RecordedAt } from '../pipeline/folded-stream';
import { toEpochSeconds } from '../shared/time';

/**
 * A command's reply, from the decided state (never the read side). The delivery fields are the
 * notifier's to fill (its queries); a command does not know them.
 */
export function webhookEndpointView(
  state: WebhookEndpointState,
  recordedAt: RecordedAt | null,
): WebhookEndpointView {
  if (state.type !== 'Active') {
    throw new DomainError('WEBHOOK.NOT_FOUND', 'webhook endpoint was not found');
  }
  const endpoint = state.data;
  return {
    id: endpoint.endpointId,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes === null ? null : [...endpoint.eventTypes],
    status: endpoint.disabledReason === null ? 'enabled' : 'disabled',
    disabledReason: endpoint.disabledReason,
    createdAt: toEpochSeconds(recordedAt?.first ?? 0),
    updatedAt: toEpochSeconds(recordedAt?.last ?? 0),
    failingSince: null,
    lastDeliveryAt: null,
    lastDeliveryStatus: null,
  };
}
