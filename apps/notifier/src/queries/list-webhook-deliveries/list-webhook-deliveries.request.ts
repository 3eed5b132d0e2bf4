import {
  WEBHOOK_DELIVERY_STATUSES,
  type ListWebhookDeliveriesRequest,
  type WebhookDeliveryStatus,
} from '@keyward/messaging';
import { Cursor, EndpointId, OptionalOneOf, OptionalOrgId, PageLimit } from '@keyward/transport';

export class ListWebhookDeliveriesRequestDto implements ListWebhookDeliveriesRequest {
  @OptionalOrgId() orgId?: string;
  @EndpointId() endpointId!: string;
  @OptionalOneOf(WEBHOOK_DELIVERY_STATUSES) status?: WebhookDeliveryStatus;
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
}
