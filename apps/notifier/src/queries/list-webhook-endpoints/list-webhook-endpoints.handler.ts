import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_LIMITS, WEBHOOK_QUERY_SUBJECTS, type WebhookEndpointPage } from '@keyward/messaging';
import { Call, CursorCodec, RequestValidationPipe, type CallContext } from '@keyward/transport';
import { WebhookQueryAccess } from '../webhook-query-access';
import { WEBHOOK_READS, type WebhookReads } from '../webhook-reads';
import { endpointView } from '../webhook-views';
import { ListWebhookEndpointsRequestDto } from './list-webhook-endpoints.request';

const QUERY = 'webhook-endpoints';

/** The caller's organization's webhook endpoints, newest first (org admins only). */
@Controller()
export class ListWebhookEndpointsHandler {
  constructor(
    private readonly access: WebhookQueryAccess,
    private readonly cursors: CursorCodec,
    @Inject(WEBHOOK_READS) private readonly reads: WebhookReads,
  ) {}

  @MessagePattern(WEBHOOK_QUERY_SUBJECTS.list)
  async handle(
    @Payload(new RequestValidationPipe()) request: ListWebhookEndpointsRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookEndpointPage> {
    const caller = await this.access.admin(call, request.orgId, 'list webhook endpoints');
    const limit = request.limit ?? QUERY_LIMITS.defaultPageSize;
    const after = request.cursor
      ? (this.cursors.decode(request.cursor, caller.orgId, QUERY, {}) as [number, string])
      : null;
    const rows = this.reads.endpoints.page(caller.orgId, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(endpointView),
      nextCursor:
        rows.length > limit
          ? this.cursors.encode(caller.orgId, QUERY, {}, [last.created_at, last.id])
          : null,
    };
  }
}
