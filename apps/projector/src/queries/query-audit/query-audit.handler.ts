import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_LIMITS, QUERY_SUBJECTS, type AuditEntryView, type Page } from '@keyward/messaging';
import {
  AppError,
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireOrgAdmin,
  CursorCodec,
} from '@keyward/transport';
import { AuditReader } from '../audit-reader';
import { QueryAuditRequestDto } from './query-audit.request';

export const AUDIT_QUERY = 'audit';

/**
 * Where a page starts: after the cursor of an earlier page, or after the entry a client names
 * (`after`, the id of the last entry it received: how an interrupted export resumes).
 */
export function startAfter(
  request: QueryAuditRequestDto,
  orgId: string,
  cursors: CursorCodec,
  reader: AuditReader,
): (string | number)[] | null {
  const filters = AuditReader.filtersOf(request);
  if (request.cursor) return cursors.decode(request.cursor, orgId, AUDIT_QUERY, filters);
  if (request.after === undefined) return null;
  const position = reader.positionOf(orgId, request.after);
  if (!position) {
    throw new AppError('AUDIT.ENTRY_NOT_FOUND', 'not_found', `no audit entry ${request.after}`);
  }
  return position;
}

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
    const after = startAfter(request, caller.orgId, this.cursors, this.reader);
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
