import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn } from 'class-validator';
import { PERMISSIONS, type Permission } from '@keyward/domain';
import type { DefineRoleRequest } from '@keyward/messaging';
import { OptionalOrgId, RoleName } from '@keyward/transport';

export class DefineRoleRequestDto implements DefineRoleRequest {
  @OptionalOrgId() orgId?: string;
  @RoleName() name!: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn(PERMISSIONS, { each: true })
  permissions!: Permission[];
}
