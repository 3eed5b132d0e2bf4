import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_LIMITS, QUERY_SUBJECTS, type AuditEntryView, type Page } from '@keyward/messaging';
import { Call, RequestValidationPipe, type CallContext } from '@keyward/transport';
import { AuditReader } from '../audit-reader';
import { CallerAuthenticator, requireOrgAdmin } from '../caller';
import { CursorCodec } from '../cursor-codec';
import { QueryAuditRequestDto } from './query-audit.request';

export const AUDIT_QUERY = 'audit';

/** The audit log of the caller's org, newest first, filtered (org admins only). */
@Controller()
export class QueryAuditHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    private readonly cursors: CursorCodec,
    private readonly reader: AuditReader,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.queryAudit)
  async handle(
    @Payload(new RequestValidationPipe()) request: QueryAuditRequestDto,
    @Call() call: CallContext,
  ): Promise<Page<AuditEntryView>> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireOrgAdmin(caller, 'read the audit log');
    const filters = AuditReader.filtersOf(request);
    const after = request.cursor
      ? this.cursors.decode(request.cursor, caller.orgId, AUDIT_QUERY, filters)
      : null;
    const limit = request.limit ?? QUERY_LIMITS.defaultPageSize;
    const page = this.reader.page(caller.orgId, filters, limit, after);
    return {
      items: page.entries,
      nextCursor:
        page.more && page.last
          ? this.cursors.encode(caller.orgId, AUDIT_QUERY, filters, page.last)
          : null,
    };
  }
}
