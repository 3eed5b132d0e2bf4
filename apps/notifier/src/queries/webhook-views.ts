import type {
  NotificationType,
  WebhookDeliveryView,
  WebhookEndpointView,
} from '@keyward/messaging';
import type { AttemptRow, DeliveryRow } from '../webhooks/delivery-log';
import { eventTypesOf, type EndpointRow } from '../webhooks/endpoint-table';

const seconds = (ms: number): number => Math.floor(ms / 1000);
const secondsOrNull = (ms: number | null): number | null => (ms === null ? null : seconds(ms));

/** An endpoint as the queries answer it: times in epoch seconds, never its secret. */
export function endpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: eventTypesOf(row),
    status: row.status === 'enabled' ? 'enabled' : 'disabled',
    disabledReason: row.status === 'enabled' ? null : row.disabled_reason,
    createdAt: seconds(row.created_at),
    updatedAt: seconds(row.updated_at),
    failingSince: secondsOrNull(row.failing_since),
    lastDeliveryAt: secondsOrNull(row.last_delivery_at),
    lastDeliveryStatus: row.last_delivery_status,
  };
}

/** A delivery with its attempts (times in epoch ms). */
export function deliveryView(row: DeliveryRow, attempts: AttemptRow[]): WebhookDeliveryView {
  return {
    id: row.event_id,
    type: row.type as NotificationType,
    position: row.position,
    status: row.status,
    createdAt: row.created_at,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    attempts: attempts.map((a) => ({
      attempt: a.attempt,
      at: a.at,
      statusCode: a.status_code,
      latencyMs: a.latency_ms,
      error: a.error,
      outcome: a.outcome,
    })),
  };
}
