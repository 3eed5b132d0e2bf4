import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import type { SetOrganizationPolicyRequest } from '@keyward/messaging';
import { FIELD_BOUNDS, ID_PATTERNS } from '@keyward/messaging';
import { BoundedInt, OptionalOrgId } from '@keyward/transport';

/** Omitted fields keep their current value; null clears a limit (the notice: the default). */
export class SetOrganizationPolicyRequestDto implements SetOrganizationPolicyRequest {
  @OptionalOrgId() orgId?: string;
  @IsOptional()
  @BoundedInt(FIELD_BOUNDS.maxActiveKeysPerPrincipal)
  maxActiveKeysPerPrincipal?: number;
  @ValidateIf((_o, value) => value !== null && value !== undefined)
  @BoundedInt(FIELD_BOUNDS.maxKeyLifetimeSeconds)
  maxKeyLifetimeSeconds?: number | null;
  @ValidateIf((_o, value) => value !== null && value !== undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(ID_PATTERNS.roleName, { each: true, message: 'each role must be a role name' })
  allowedServiceAccountRoles?: string[] | null;
  @ValidateIf((_o, value) => value !== null && value !== undefined)
  @BoundedInt(FIELD_BOUNDS.expiryNoticeSeconds)
  expiryNoticeSeconds?: number | null;
}
