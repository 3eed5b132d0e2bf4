import type { KeyStatus, ListPersonalKeysRequest } from '@keyward/messaging';
import {
  Cursor,
  OptionalOneOf,
  OptionalOrgId,
  OptionalUserId,
  PageLimit,
} from '@keyward/transport';

export class ListPersonalKeysRequestDto implements ListPersonalKeysRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalUserId() userId?: string;
  @OptionalOneOf(['active', 'revoked', 'expired', 'all']) status?: KeyStatus | 'all';
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
}
