import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, ValidateNested } from 'class-validator';
import type { AddMemberRequest } from '@keyward/messaging';
import { DisplayName, OptionalOrgId, UserId } from '../../shared/request-fields';
import { GrantRequestDto } from '../grant.request';

export class AddMemberRequestDto implements AddMemberRequest {
  @OptionalOrgId() orgId?: string;
  @UserId() userId!: string;
  @DisplayName() displayName!: string;
  @IsOptional() @IsIn(['admin', 'member']) orgRole?: 'admin' | 'member';
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GrantRequestDto)
  grants!: GrantRequestDto[];
}
