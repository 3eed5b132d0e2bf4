import type { ListServiceAccountsRequest, ServiceAccountStatus } from '@keyward/messaging';
import { Cursor, OptionalOneOf, OptionalOrgId, OptionalText, PageLimit } from '@keyward/transport';

export class ListServiceAccountsRequestDto implements ListServiceAccountsRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalOneOf(['active', 'deleted', 'all']) status?: ServiceAccountStatus | 'all';
  @OptionalText(100) namePrefix?: string;
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
}
