import { AppError } from '@keyward/transport';
import type { DeliveryLog } from '../webhooks/delivery-log';
import type { WebhookEndpointTable } from '../webhooks/endpoint-table';

/** What the webhook queries read: the notifier's own tables (its SQLite file). */
export interface WebhookReads {
  endpoints: Pick<WebhookEndpointTable, 'get' | 'page'>;
  deliveryLog: Pick<DeliveryLog, 'page' | 'attemptsOf'>;
}

export const WEBHOOK_READS = Symbol('WEBHOOK_READS');

/** Another organization's endpoint, a deleted one and one never registered: one answer. */
export function endpointNotFound(id: string): AppError {
  return new AppError('WEBHOOK.NOT_FOUND', 'not_found', `webhook endpoint ${id} was not found`);
}
