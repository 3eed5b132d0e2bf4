import { Controller, Get, Param, Query } from '@nestjs/common';
import { FIELD_BOUNDS, QUERY_SUBJECTS as Q, type KeyAtView, type Page } from '@keyward/messaging';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { queryBody } from '../http/request-body';
import { AuditPageSchema, KeyAtSchema } from '../openapi/audit.schema';
import { ApiAuditFilters, ApiCaller, ApiOrgId, ApiPage, ApiPathId } from '../openapi/decorators';
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

  @Get('key/:keyId/at')
  @ApiOperation({
    summary: 'Was a key valid at a past instant? (org admins)',
    description:
      "Answered from the event store, not a read model: the events of the key owner's stream up " +
      'to `time` are folded as a verifier would have applied them. Says whether the key was valid ' +
      'then, for which principal, role, permissions and resources, its expiry then (a rotation ' +
      'shortens it), and the stored event that decided the answer (id, type, position, time). ' +
      'Expired from the first millisecond of its expiry. `time` is the instant `time`.000 UTC.',
  })
  @ApiCaller()
  @ApiOrgId()
  @ApiPathId('keyId', 'keyId')
  @ApiQuery({
    name: 'time',
    required: true,
    description: 'The instant, epoch seconds',
    schema: {
      type: 'integer',
      minimum: FIELD_BOUNDS.epochSeconds.min,
      maximum: FIELD_BOUNDS.epochSeconds.max,
    },
  })
  @ApiOkResponse({ type: KeyAtSchema })
  @ApiErrors(400)
  keyAt(
    @Param('keyId') keyId: string,
    @Query() query: Record<string, unknown>,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<KeyAtView>(Q.keyAt, queryBody(query, { keyId }), edge);
  }
}
