import type { ListMembersRequest, MemberStatus } from '@keyward/messaging';
import { Cursor, OptionalOneOf, OptionalOrgId, PageLimit } from '@keyward/transport';

export class ListMembersRequestDto implements ListMembersRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalOneOf(['active', 'removed', 'all']) status?: MemberStatus | 'all';
  @PageLimit() limit?: number;
  @Cursor() cursor?: string;
}
