import { IsIn, IsOptional } from 'class-validator';
import type { AddMemberRequest } from '@keyward/messaging';
import { OptionalOrgId, SafeName, UserId } from '@keyward/transport';
import { GrantRequestDto, Grants } from '../grant.request';

export class AddMemberRequestDto implements AddMemberRequest {
  @OptionalOrgId() orgId?: string;
  @UserId() userId!: string;
  @SafeName() displayName!: string;
  @IsOptional() @IsIn(['admin', 'member']) orgRole?: 'admin' | 'member';
  @Grants() grants!: GrantRequestDto[];
}
