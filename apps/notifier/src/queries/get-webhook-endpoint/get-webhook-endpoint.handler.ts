import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { WEBHOOK_QUERY_SUBJECTS, type WebhookEndpointView } from '@keyward/messaging';
import {
  Call,
  CallerAuthenticator,
  RequestValidationPipe,
  requireOrgAdmin,
  type CallContext,
} from '@keyward/transport';
import { endpointNotFound, WEBHOOK_READS, type WebhookReads } from '../webhook-reads';
import { endpointView } from '../webhook-views';
import { GetWebhookEndpointRequestDto } from './get-webhook-endpoint.request';

/** One webhook endpoint of the caller's organization (org admins only). */
@Controller()
export class GetWebhookEndpointHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    @Inject(WEBHOOK_READS) private readonly reads: WebhookReads,
  ) {}

  @MessagePattern(WEBHOOK_QUERY_SUBJECTS.get)
  async handle(
    @Payload(new RequestValidationPipe()) request: GetWebhookEndpointRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointView> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireOrgAdmin(caller, 'read webhook endpoints');
    await this.reads.syncWithStore();
    const row = this.reads.endpoints.get(caller.orgId, request.endpointId);
    if (row === undefined) throw endpointNotFound(request.endpointId);
    return endpointView(row);
  }
}
