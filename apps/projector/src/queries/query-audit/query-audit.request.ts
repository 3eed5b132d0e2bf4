import { AUDIT_ACTIONS, type AuditQueryRequest } from '@keyward/messaging';
import {
  Cursor,
  OptionalEpochSeconds,
  OptionalOneOf,
  OptionalOrgId,
  OptionalText,
  PageLimit,
} from '@keyward/transport';

export class QueryAuditRequestDto implements AuditQueryRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalText(200) actor?: string;
  @OptionalText(200) target?: string;
  @OptionalOneOf(AUDIT_ACTIONS) action?: string;
  @OptionalEpochSeconds() from?: number;
  @OptionalEpochSeconds() to?: number;
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
}
