import { IsBoolean, IsOptional } from 'class-validator';
import type { CreateServiceAccountRequest } from '@keyward/messaging';
import {
  DisplayName,
  OptionalOrgId,
  OptionalText,
  ResourceList,
  RoleName,
} from '@keyward/transport';

export class CreateServiceAccountRequestDto implements CreateServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @DisplayName() name!: string;
  @OptionalText(1000) description?: string;
  @IsOptional() @IsBoolean() enableBasicAuth?: boolean;
  @IsOptional() @RoleName() role?: string;
  @IsOptional() @ResourceList() resources?: string[];
}
