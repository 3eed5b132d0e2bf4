import type { GetWebhookEndpointRequest } from '@keyward/messaging';
import { EndpointId, OptionalOrgId } from '@keyward/transport';

export class GetWebhookEndpointRequestDto implements GetWebhookEndpointRequest {
  @OptionalOrgId() orgId?: string;
  @EndpointId() endpointId!: string;
}
