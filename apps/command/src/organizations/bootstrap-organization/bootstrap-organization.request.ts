import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import type { BootstrapOrganizationRequest } from '@keyward/messaging';
import { DisplayName, OptionalOrgId, UserId } from '@keyward/transport';

export class BootstrapAdminDto {
  @UserId() userId!: string;
  @DisplayName() displayName!: string;
}

export class BootstrapOrganizationRequestDto implements BootstrapOrganizationRequest {
  @OptionalOrgId() orgId?: string;
  @DisplayName() name!: string;
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BootstrapAdminDto)
  admin!: BootstrapAdminDto;
}
