import { IsIn, IsOptional } from 'class-validator';
import type { ChangeMemberGrantsRequest } from '@keyward/messaging';
import { OptionalOrgId, UserId } from '@keyward/transport';
import { GrantRequestDto, Grants } from '../grant.request';

export class ChangeMemberGrantsRequestDto implements ChangeMemberGrantsRequest {
  @OptionalOrgId() orgId?: string;
  @UserId() userId!: string;
  @IsOptional() @IsIn(['admin', 'member']) orgRole?: 'admin' | 'member';
  @Grants() grants!: GrantRequestDto[];
}
