import { Controller, Get, Query } from '@nestjs/common';
import { QUERY_SUBJECTS as Q, type Page } from '@keyward/messaging';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { queryBody } from '../http/request-body';
import { AuditPageSchema } from '../openapi/audit.schema';
import { ApiAuditFilters, ApiCaller, ApiOrgId, ApiPage } from '../openapi/decorators';
import { ApiErrors } from '../openapi/error.schema';

/** The audit log, newest first (org admins). */
@ApiTags('audit')
@Controller('api/audit/v1')
export class AuditController {
  constructor(private readonly bus: KeywardBus) {}

  @Get('entry')
  @ApiOperation({ summary: 'Query the audit log (org admins)', description: 'Newest first.' })
  @ApiCaller()
  @ApiOrgId()
  @ApiAuditFilters()
  @ApiPage()
  @ApiOkResponse({ type: AuditPageSchema })
  @ApiErrors(400)
  entries(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<Page<unknown>>(Q.queryAudit, queryBody(query), edge);
  }
}
