import type { ListRolesRequest } from '@keyward/messaging';
import { OptionalOrgId } from '@keyward/transport';

export class ListRolesRequestDto implements ListRolesRequest {
  @OptionalOrgId() orgId?: string;
}
