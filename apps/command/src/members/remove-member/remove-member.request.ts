import type { RemoveMemberRequest } from '@keyward/messaging';
import { OptionalOrgId, UserId } from '@keyward/transport';

export class RemoveMemberRequestDto implements RemoveMemberRequest {
  @OptionalOrgId() orgId?: string;
  @UserId() userId!: string;
}
