import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DEFAULT_ORGANIZATION_POLICY } from '@keyward/domain';
import { QUERY_SUBJECTS, type OrganizationPolicyReply } from '@keyward/messaging';
import {
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
} from '@keyward/transport';
import { READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import { ListRolesRequestDto } from '../list-roles/list-roles.request';
import { prepared } from '../../store/prepared';

interface PolicyRow {
  max_active_keys: number | null;
  max_key_lifetime_s: number | null;
  allowed_sa_roles: string | null;
  expiry_notice_s: number | null;
}

/** The org's key policy (defaults until an admin sets one); any principal of the org may read it. */
@Controller()
export class GetOrganizationPolicyHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.getOrganizationPolicy)
  async handle(
    @Payload(new RequestValidationPipe()) request: ListRolesRequestDto,
    @Call() call: CallContext,
  ): Promise<OrganizationPolicyReply> {
    const caller = await this.callers.authenticate(call, request.orgId);
    const row = prepared(
      this.db,
      `SELECT max_active_keys, max_key_lifetime_s, allowed_sa_roles, expiry_notice_s
         FROM organizations WHERE org_id = ?`,
    ).get(caller.orgId) as PolicyRow | undefined;
    return {
      maxActiveKeysPerPrincipal:
        row?.max_active_keys ?? DEFAULT_ORGANIZATION_POLICY.maxActiveKeysPerPrincipal,
      maxKeyLifetimeSeconds: row?.max_key_lifetime_s ?? null,
      allowedServiceAccountRoles: row?.allowed_sa_roles
        ? (JSON.parse(row.allowed_sa_roles) as string[])
        : null,
      expiryNoticeSeconds: row?.expiry_notice_s ?? null,
    };
  }
}
