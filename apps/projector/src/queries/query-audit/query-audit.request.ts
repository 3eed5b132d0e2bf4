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
}
