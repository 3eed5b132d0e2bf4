import { Controller, Get, Query } from '@nestjs/common';
import { QUERY_SUBJECTS as Q, type Page } from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { queryBody } from '../http/request-body';

/** The audit log, newest first (org admins). */
@Controller('api/audit/v1')
export class AuditController {
  constructor(private readonly bus: KeywardBus) {}

  @Get('entry')
  entries(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<unknown>>(Q.queryAudit, queryBody(query), edge);
  }
}
