import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { WEBHOOK_QUERY_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import { Call, RequestValidationPipe, type CallContext } from '@keyward/transport';
import { WebhookQueryAccess } from '../webhook-query-access';
import { endpointView } from '../webhook-views';
import { GetWebhookEndpointRequestDto } from './get-webhook-endpoint.request';

/** One webhook endpoint of the caller's organization (org admins only). */
@Controller()
export class GetWebhookEndpointHandler {
  constructor(private readonly access: WebhookQueryAccess) {}

  @MessagePattern(WEBHOOK_QUERY_SUBJECTS.get)
  async handle(
    @Payload(new RequestValidationPipe()) request: GetWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    const caller = await this.access.admin(call, request.orgId, 'read webhook endpoints');
    return endpointView(this.access.endpoint(caller.orgId, request.endpointId));
  }
}
