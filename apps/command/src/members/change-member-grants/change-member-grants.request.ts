import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import type { ChangeMemberGrantsRequest } from '@keyward/messaging';
import { OptionalOrgId, UserId } from '../../shared/request-fields';
import { GrantRequestDto } from '../grant.request';

export class ChangeMemberGrantsRequestDto implements ChangeMemberGrantsRequest {
  @OptionalOrgId() orgId?: string;
  @UserId() userId!: string;
  @IsOptional() @IsIn(['admin', 'member']) orgRole?: 'admin' | 'member';
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GrantRequestDto)
  grants!: GrantRequestDto[];
}
