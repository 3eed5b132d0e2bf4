import { AppError } from '@keyward/transport';
import type { DeliveryLog } from '../webhooks/delivery-log';
import type { WebhookEndpointTable } from '../webhooks/endpoint-table';

/** What the webhook queries read: the notifier's own tables (its SQLite file). */
export interface WebhookReads {
  endpoints: Pick<WebhookEndpointTable, 'get' | 'page'>;
  deliveryLog: Pick<DeliveryLog, 'page' | 'attemptsOf'>;
  /**
   * Waits (bounded) until the tables hold every event the store had when it was called, so a
   * caller reads its own writes: an endpoint just registered is found.
   */
  syncWithStore(): Promise<void>;
}

export const WEBHOOK_READS = Symbol('WEBHOOK_READS');

/** Another organization's endpoint, a deleted one and one never registered: one answer. */
export function endpointNotFound(id: string): AppError {
  return new AppError('WEBHOOK.NOT_FOUND', 'not_found', `webhook endpoint ${id} was not found`);
}
