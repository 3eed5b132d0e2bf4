import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_LIMITS, WEBHOOK_QUERY_SUBJECTS, type WebhookDeliveryPage } from '@keyward/messaging';
import { Call, CursorCodec, RequestValidationPipe, type CallContext } from '@keyward/transport';
import type { AttemptRow } from '../../webhooks/delivery-log';
import { WebhookQueryAccess } from '../webhook-query-access';
import { WEBHOOK_READS, type WebhookReads } from '../webhook-reads';
import { deliveryView } from '../webhook-views';
import { ListWebhookDeliveriesRequestDto } from './list-webhook-deliveries.request';

const QUERY = 'webhook-deliveries';

/** One endpoint's deliveries with every attempt, newest first (org admins only). */
@Controller()
export class ListWebhookDeliveriesHandler {
  constructor(
    private readonly access: WebhookQueryAccess,
    private readonly cursors: CursorCodec,
    @Inject(WEBHOOK_READS) private readonly reads: WebhookReads,
  ) {}

  @MessagePattern(WEBHOOK_QUERY_SUBJECTS.deliveries)
  async handle(
    @Payload(new RequestValidationPipe()) request: ListWebhookDeliveriesRequestDto,
    @Call() call: CallContext,
  ): Promise<WebhookDeliveryPage> {
    const caller = await this.access.admin(call, request.orgId, 'read webhook deliveries');
    this.access.endpoint(caller.orgId, request.endpointId);
    const filters = { endpointId: request.endpointId, status: request.status ?? null };
    const limit = request.limit ?? QUERY_LIMITS.defaultPageSize;
    const before = request.cursor
      ? (this.cursors.decode(request.cursor, caller.orgId, QUERY, filters)[0] as number)
      : null;
    const rows = this.reads.deliveryLog.page(filters.endpointId, filters.status, before, limit + 1);
    const page = rows.slice(0, limit);
    const attempts = new Map<number, AttemptRow[]>();
    for (const attempt of this.reads.deliveryLog.attemptsOf(page.map((row) => row.id))) {
      const list = attempts.get(attempt.delivery_id) ?? [];
      list.push(attempt);
      attempts.set(attempt.delivery_id, list);
    }
    return {
      items: page.map((row) => deliveryView(row, attempts.get(row.id) ?? [])),
      nextCursor:
        rows.length > limit
          ? this.cursors.encode(caller.orgId, QUERY, filters, [page[page.length - 1].id])
          : null,
    };
  }
}
