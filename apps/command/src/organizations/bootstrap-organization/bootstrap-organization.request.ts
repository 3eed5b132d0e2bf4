import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import type { BootstrapOrganizationRequest } from '@keyward/messaging';
import { OptionalOrgId, SafeName, UserId } from '@keyward/transport';

export class BootstrapAdminDto {
  @UserId() userId!: string;
  @SafeName() displayName!: string;
}

export class BootstrapOrganizationRequestDto implements BootstrapOrganizationRequest {
  @OptionalOrgId() orgId?: string;
  @SafeName() name!: string;
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BootstrapAdminDto)
  admin!: BootstrapAdminDto;
}
