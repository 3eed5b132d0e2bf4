import { Readable } from 'node:stream';
import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { QUERY_SUBJECTS as Q, type AuditEntryView, type AuditExportPage } from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { EdgeError } from '../http/edge-error';
import { queryBody } from '../http/request-body';
import { ApiAuditFilters, ApiCaller, ApiOrgId } from '../openapi/decorators';
import { ApiErrors } from '../openapi/error.schema';
import { AUDIT_CSV_HEADER, auditCsvRow } from './audit-csv';

const FORMATS = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;
type Format = keyof typeof FORMATS;

/**
 * The whole filtered audit log, newest first, streamed page by page from the projector: memory
 * stays at one page (≤ 1,000 entries, ≤ 512 KiB) however long the log. The first page is asked
 * for before the status is sent, so a refusal is a normal error response. An interrupted export
 * resumes with `after=<id of the last entry received>`.
 */
@ApiTags('audit')
@Controller('api/audit/v1')
export class AuditExportController {
  private readonly logger = new Logger('AuditExport');

  constructor(private readonly bus: KeywardBus) {}

  @Get('export')
  @ApiOperation({
    summary: 'Export the audit log (org admins)',
    description:
      'The whole filtered log, newest first, streamed page by page; an interrupted export ' +
      'resumes with `after` = the id of the last entry received.',
  })
  @ApiCaller()
  @ApiOrgId()
  @ApiQuery({
    name: 'format',
    required: false,
    schema: { type: 'string', enum: Object.keys(FORMATS), default: 'ndjson' },
  })
  @ApiAuditFilters()
  @ApiResponse({
    status: 200,
    description: 'One audit entry per line (NDJSON), or CSV with a header row',
    content: {
      'application/x-ndjson': { schema: { type: 'string' } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  @ApiErrors(400)
  async export(
    @Query() query: Record<string, unknown>,
    @Edge() edge: EdgeCall,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { format = 'ndjson', ...filters } = query;
    if (typeof format !== 'string' || !(format in FORMATS)) {
      throw EdgeError.invalid(
        'VALIDATION.FAILED',
        'invalid request: format: must be ndjson or csv',
        [{ field: 'format', problem: 'format must be ndjson or csv' }],
      );
    }
    const body = queryBody(filters);
    const first = await this.bus.call<AuditExportPage>(Q.exportAudit, body, edge);
    const pages = this.pages(first, body, edge, format as Format);
    void reply
      .status(200)
      .header('content-type', FORMATS[format as Format])
      .header('content-disposition', `attachment; filename="keyward-audit.${format}"`)
      .send(Readable.from(pages));
  }

  private async *pages(
    first: AuditExportPage,
    body: Record<string, unknown>,
    edge: EdgeCall,
    format: Format,
  ): AsyncGenerator<string> {
    if (format === 'csv') yield AUDIT_CSV_HEADER;
    let page = first;
    for (;;) {
      if (page.count > 0) yield format === 'csv' ? toCsv(page.ndjson) : page.ndjson;
      if (page.nextCursor === null) return;
      const { after: _after, ...rest } = body;
      try {
        page = await this.bus.call<AuditExportPage>(
          Q.exportAudit,
          { ...rest, cursor: page.nextCursor },
          edge,
        );
      } catch (error) {
        // The status is sent: the client sees a cut stream and resumes with `after`.
        this.logger.warn(`audit export cut (${edge.correlationId}): ${(error as Error).message}`);
        throw error;
      }
    }
  }
}

function toCsv(ndjson: string): string {
  let rows = '';
  for (const line of ndjson.split('\n')) {
    if (line !== '') rows += auditCsvRow(JSON.parse(line) as AuditEntryView);
  }
  return rows;
}
