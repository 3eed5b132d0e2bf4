import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { QUERY_SUBJECTS, type ServiceAccountWithKeysView } from '@keyward/messaging';
import {
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireServiceAccountReader,
} from '@keyward/transport';
import { READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import {
  SERVICE_ACCOUNT_COLUMNS,
  serviceAccountView,
  type ServiceAccountRow,
} from '../service-account-rows';
import { KEY_COLUMNS, KEY_FROM, keyView, serviceAccountNotFound, type KeyRow } from '../views';
import { GetServiceAccountRequestDto } from './get-service-account.request';
import { prepared } from '../../store/prepared';

/** One service account with every key it ever had (metadata, usage and revocation). */
@Controller()
export class GetServiceAccountHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.getServiceAccount)
  async handle(
    @Payload(new RequestValidationPipe()) request: GetServiceAccountRequestDto,
    @Call() call: CallContext,
  ): Promise<ServiceAccountWithKeysView> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireServiceAccountReader(caller);
    const now = Date.now();
    const params = { orgId: caller.orgId, id: request.id, now };
    const row = prepared(
      this.db,
      `SELECT ${SERVICE_ACCOUNT_COLUMNS} FROM service_accounts sa
         WHERE sa.org_id = @orgId AND sa.account_id = @id`,
    ).get(params) as ServiceAccountRow | undefined;
    // Another org's account is as absent as one that never existed.
    if (!row) {
      throw serviceAccountNotFound(request.id);
    }
    const keys = prepared(
      this.db,
      `SELECT ${KEY_COLUMNS} FROM ${KEY_FROM}
         WHERE k.org_id = @orgId AND k.owner_kind = 'serviceAccount' AND k.owner_id = @id
         ORDER BY k.created_at, k.key_id`,
    ).all(params) as KeyRow[];
    return { ...serviceAccountView(row), keys: keys.map((key) => keyView(key, now)) };
  }
}
