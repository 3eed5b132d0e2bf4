import type { RemoveMemberRequest } from '@keyward/messaging';
import { OptionalOrgId, UserId } from '../../shared/request-fields';

export class RemoveMemberRequestDto implements RemoveMemberRequest {
  @OptionalOrgId() orgId?: string;
  @UserId() userId!: string;
}
