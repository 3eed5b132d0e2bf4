import type { WebhookEndpointRequest } from '@keyward/messaging';
import { EndpointId, OptionalOrgId } from '@keyward/transport';

/** Disable, enable and delete name an endpoint and nothing else. */
export class WebhookEndpointRequestDto implements WebhookEndpointRequest {
  @OptionalOrgId() orgId?: string;
  @EndpointId() endpointId!: string;
}
