import type { ListServiceAccountsRequest, ServiceAccountStatus } from '@keyward/messaging';
import {
  Cursor,
  OptionalOneOf,
  OptionalOrgId,
  OptionalSafeName,
  PageLimit,
} from '@keyward/transport';

export class ListServiceAccountsRequestDto implements ListServiceAccountsRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalOneOf(['active', 'deleted', 'all']) status?: ServiceAccountStatus | 'all';
  @OptionalSafeName() namePrefix?: string;
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
}
