import type { ListRolesRequest } from '@keyward/messaging';
import { OptionalOrgId } from '../request-fields';

export class ListRolesRequestDto implements ListRolesRequest {
  @OptionalOrgId() orgId?: string;
}
