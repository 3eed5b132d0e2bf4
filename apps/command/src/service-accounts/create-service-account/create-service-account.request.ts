import { IsBoolean, IsOptional } from 'class-validator';
import type { CreateServiceAccountRequest } from '@keyward/messaging';
import {
  OptionalOrgId,
  OptionalSafeText,
  ResourceList,
  RoleName,
  SafeName,
} from '@keyward/transport';

export class CreateServiceAccountRequestDto implements CreateServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @SafeName() name!: string;
  @OptionalSafeText() description?: string;
  @IsOptional() @IsBoolean() enableBasicAuth?: boolean;
  @IsOptional() @RoleName() role?: string;
  @IsOptional() @ResourceList() resources?: string[];
}
