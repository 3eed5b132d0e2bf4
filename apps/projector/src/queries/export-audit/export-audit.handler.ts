import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_LIMITS, QUERY_SUBJECTS, type AuditExportPage } from '@keyward/messaging';
import {
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireOrgAdmin,
  CursorCodec,
} from '@keyward/transport';
import { AuditReader, entrySeqOf } from '../audit-reader';
import { AUDIT_QUERY, startAfter } from '../query-audit/query-audit.handler';
import { QueryAuditRequestDto } from '../query-audit/query-audit.request';

/**
 * Export streams as pages of NDJSON: each request returns the next page and its cursor, so an
 * export of any size needs bounded memory on both sides and can resume after a failure. A page
 * ends at `limit` entries (default and max 1000) or about 512 KiB, under NATS's max payload.
 * Its cursors are those of the audit query, so either can continue the other.
 */
@Controller()
export class ExportAuditHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    private readonly cursors: CursorCodec,
    private readonly reader: AuditReader,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.exportAudit)
  async handle(
    @Payload(new RequestValidationPipe()) request: QueryAuditRequestDto,
    @Call() call: CallContext,
  ): Promise<AuditExportPage> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireOrgAdmin(caller, 'export the audit log');
    const filters = AuditReader.filtersOf(request);
    let after: (string | number)[] | null = startAfter(
      request,
      caller.orgId,
      this.cursors,
      this.reader,
    );
    const limit = request.limit ?? QUERY_LIMITS.maxPageSize;
    const page = this.reader.page(caller.orgId, filters, limit, after);
    const lines: string[] = [];
    let bytes = 0;
    let more = page.more;
    for (const entry of page.entries) {
      const line = JSON.stringify(entry);
      if (lines.length > 0 && bytes + line.length + 1 > QUERY_LIMITS.maxExportPageBytes) {
        more = true;
        break;
      }
      lines.push(line);
      bytes += Buffer.byteLength(line) + 1;
      after = [Date.parse(entry.occurredAt), entrySeqOf(entry.id)];
    }
    return {
      ndjson: lines.map((line) => `${line}\n`).join(''),
      count: lines.length,
      nextCursor:
        more && after ? this.cursors.encode(caller.orgId, AUDIT_QUERY, filters, after) : null,
    };
  }
}
