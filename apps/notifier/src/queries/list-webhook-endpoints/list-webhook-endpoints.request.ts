import type { ListWebhookEndpointsRequest } from '@keyward/messaging';
import { Cursor, OptionalOrgId, PageLimit } from '@keyward/transport';

export class ListWebhookEndpointsRequestDto implements ListWebhookEndpointsRequest {
  @OptionalOrgId() orgId?: string;
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
}
