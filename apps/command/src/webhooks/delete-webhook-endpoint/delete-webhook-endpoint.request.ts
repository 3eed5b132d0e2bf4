import type { DeleteWebhookEndpointRequest } from '@keyward/messaging';
import { WebhookEndpointRequestDto } from '../webhook-endpoint.request';

export class DeleteWebhookEndpointRequestDto
  extends WebhookEndpointRequestDto
  implements DeleteWebhookEndpointRequest {}
