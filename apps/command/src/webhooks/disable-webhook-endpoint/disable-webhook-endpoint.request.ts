import type { DisableWebhookEndpointRequest } from '@keyward/messaging';
import { WebhookEndpointRequestDto } from '../webhook-endpoint.request';

export class DisableWebhookEndpointRequestDto
  extends WebhookEndpointRequestDto
  implements DisableWebhookEndpointRequest {}
