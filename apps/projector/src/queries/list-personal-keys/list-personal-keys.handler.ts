import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_LIMITS, QUERY_SUBJECTS, type KeyView, type Page } from '@keyward/messaging';
import {
  AppError,
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireOrgAdmin,
  CursorCodec,
} from '@keyward/transport';
import { READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import { KEY_COLUMNS, KEY_FROM, KEY_STATUS_SQL, keyView, type KeyRow } from '../views';
import { ListPersonalKeysRequestDto } from './list-personal-keys.request';
import { prepared } from '../../store/prepared';

const QUERY = 'personal-keys';

/** A member's personal keys: the caller's own, or (org admins) another member's. */
@Controller()
export class ListPersonalKeysHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    private readonly cursors: CursorCodec,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.listPersonalKeys)
  async handle(
    @Payload(new RequestValidationPipe()) request: ListPersonalKeysRequestDto,
    @Call() call: CallContext,
  ): Promise<Page<KeyView>> {
    const caller = await this.callers.authenticate(call, request.orgId);
    const userId =
      request.userId ?? (caller.principal.kind === 'member' ? caller.principal.id : null);
    if (userId === null) {
      throw new AppError(
        'AUTH.FORBIDDEN',
        'forbidden',
        'a service account has no personal keys; pass userId as an org admin',
      );
    }
    const own = caller.principal.kind === 'member' && caller.principal.id === userId;
    if (!own) requireOrgAdmin(caller, "list another member's keys");
    const status = request.status ?? 'all';
    const filters = { userId, status };
    const limit = request.limit ?? QUERY_LIMITS.defaultPageSize;
    const after = request.cursor
      ? this.cursors.decode(request.cursor, caller.orgId, QUERY, filters)
      : null;
    const now = Date.now();
    const where = [
      `k.org_id = @orgId AND k.owner_kind = 'member' AND k.owner_id = @userId`,
      ...(status === 'all' ? [] : [KEY_STATUS_SQL[status]]),
      ...(after ? ['(k.created_at, k.key_id) > (@afterCreated, @afterId)'] : []),
    ];
    const rows = prepared(
      this.db,
      `SELECT ${KEY_COLUMNS} FROM ${KEY_FROM} WHERE ${where.join(' AND ')}
         ORDER BY k.created_at, k.key_id LIMIT @limit`,
    ).all({
      orgId: caller.orgId,
      userId,
      now,
      afterCreated: after?.[0] ?? 0,
      afterId: after?.[1] ?? '',
      limit: limit + 1,
    }) as KeyRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => keyView(row, now)),
      nextCursor:
        rows.length > limit
          ? this.cursors.encode(caller.orgId, QUERY, filters, [last.created_at, last.key_id])
          : null,
    };
  }
}
