import { IsOptional, Matches } from 'class-validator';
import { AUDIT_ACTIONS, TEXT_LIMITS, type AuditQueryRequest } from '@keyward/messaging';
import {
  Cursor,
  OptionalEpochSeconds,
  OptionalOneOf,
  OptionalOrgId,
  OptionalSafeName,
  PageLimit,
} from '@keyward/transport';

export class QueryAuditRequestDto implements AuditQueryRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalSafeName(TEXT_LIMITS.auditFilter) actor?: string;
  @OptionalSafeName(TEXT_LIMITS.auditFilter) target?: string;
  @OptionalOneOf(AUDIT_ACTIONS) action?: string;
  @OptionalEpochSeconds() from?: number;
  @OptionalEpochSeconds() to?: number;
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
  /** Resume after this entry (`ev_<n>` or `us_<n>`), e.g. the last line of a cut export. */
  @IsOptional()
  @Matches(/^(ev|us)_\d{1,19}$/, { message: 'after must be an audit entry id (ev_… or us_…)' })
  after?: string;
}
