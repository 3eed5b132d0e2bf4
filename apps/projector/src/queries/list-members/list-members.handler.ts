import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_LIMITS, QUERY_SUBJECTS, type MemberView, type Page } from '@keyward/messaging';
import {
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireOrgAdmin,
  CursorCodec,
} from '@keyward/transport';
import { READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import { activeKeyCountSql, seconds, secondsOrNull } from '../views';
import { ListMembersRequestDto } from './list-members.request';
import { prepared } from '../../store/prepared';

const QUERY = 'members';

interface MemberRow {
  user_id: string;
  display_name: string;
  org_role: 'admin' | 'member';
  grants: string;
  status: 'active' | 'removed';
  added_at: number;
  removed_at: number | null;
  active_keys: number;
}

/** Members of the caller's org by user id (org admins only). */
@Controller()
export class ListMembersHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    private readonly cursors: CursorCodec,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.listMembers)
  async handle(
    @Payload(new RequestValidationPipe()) request: ListMembersRequestDto,
    @Call() call: CallContext,
  ): Promise<Page<MemberView>> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireOrgAdmin(caller, 'list members');
    const status = request.status ?? 'active';
    const filters = { status };
    const limit = request.limit ?? QUERY_LIMITS.defaultPageSize;
    const after = request.cursor
      ? this.cursors.decode(request.cursor, caller.orgId, QUERY, filters)
      : null;
    const where = [
      'm.org_id = @orgId',
      ...(status === 'all' ? [] : ['m.status = @status']),
      ...(after ? ['m.user_id > @afterId'] : []),
    ];
    const rows = prepared(
      this.db,
      `SELECT m.user_id, m.display_name, m.org_role, m.grants, m.status, m.added_at, m.removed_at,
           ${activeKeyCountSql('member', 'm.user_id', 'm.org_id')} AS active_keys
         FROM members m WHERE ${where.join(' AND ')} ORDER BY m.user_id LIMIT @limit`,
    ).all({
      orgId: caller.orgId,
      status,
      afterId: after?.[0] ?? '',
      limit: limit + 1,
      now: Date.now(),
    }) as MemberRow[];
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => ({
        userId: row.user_id,
        displayName: row.display_name,
        orgRole: row.org_role,
        grants: JSON.parse(row.grants) as MemberView['grants'],
        status: row.status,
        added: seconds(row.added_at),
        removed: secondsOrNull(row.removed_at),
        activeKeys: row.active_keys,
      })),
      nextCursor:
        rows.length > limit
          ? this.cursors.encode(caller.orgId, QUERY, filters, [page[page.length - 1].user_id])
          : null,
    };
  }
}
