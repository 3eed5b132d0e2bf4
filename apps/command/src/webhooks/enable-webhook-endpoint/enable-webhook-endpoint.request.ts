import type { EnableWebhookEndpointRequest } from '@keyward/messaging';
import { WebhookEndpointRequestDto } from '../webhook-endpoint.request';

export class EnableWebhookEndpointRequestDto
  extends WebhookEndpointRequestDto
  implements EnableWebhookEndpointRequest {}
