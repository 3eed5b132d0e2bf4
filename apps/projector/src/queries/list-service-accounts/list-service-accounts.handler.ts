import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  QUERY_LIMITS,
  QUERY_SUBJECTS,
  type Page,
  type ServiceAccountView,
} from '@keyward/messaging';
import {
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireServiceAccountReader,
  CursorCodec,
} from '@keyward/transport';
import { READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import {
  SERVICE_ACCOUNT_COLUMNS,
  serviceAccountView,
  type ServiceAccountRow,
} from '../service-account-rows';
import { ListServiceAccountsRequestDto } from './list-service-accounts.request';
import { prepared } from '../../store/prepared';

const QUERY = 'service-accounts';

/** Service accounts of the caller's org by name (case-insensitive), keyset-paginated. */
@Controller()
export class ListServiceAccountsHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    private readonly cursors: CursorCodec,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.listServiceAccounts)
  async handle(
    @Payload(new RequestValidationPipe()) request: ListServiceAccountsRequestDto,
    @Call() call: CallContext,
  ): Promise<Page<ServiceAccountView>> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireServiceAccountReader(caller);
    const status = request.status ?? 'active';
    const prefix = (request.namePrefix ?? '').toLowerCase();
    const filters = { status, prefix };
    const limit = request.limit ?? QUERY_LIMITS.defaultPageSize;
    const after = request.cursor
      ? this.cursors.decode(request.cursor, caller.orgId, QUERY, filters)
      : null;
    const where = [
      'sa.org_id = @orgId',
      ...(status === 'all' ? [] : ['sa.status = @status']),
      ...(prefix ? ['sa.name_lower >= @prefix AND sa.name_lower < @prefixEnd'] : []),
      ...(after ? ['(sa.name_lower, sa.account_id) > (@afterName, @afterId)'] : []),
    ];
    const rows = prepared(
      this.db,
      `SELECT ${SERVICE_ACCOUNT_COLUMNS} FROM service_accounts sa WHERE ${where.join(' AND ')}
         ORDER BY sa.name_lower, sa.account_id LIMIT @limit`,
    ).all({
      orgId: caller.orgId,
      status,
      prefix,
      prefixEnd: `${prefix}\uffff`,
      afterName: after?.[0] ?? '',
      afterId: after?.[1] ?? '',
      limit: limit + 1,
      now: Date.now(),
    }) as ServiceAccountRow[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(serviceAccountView),
      nextCursor:
        rows.length > limit
          ? this.cursors.encode(caller.orgId, QUERY, filters, [last.name_lower, last.account_id])
          : null,
    };
  }
}
