import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { MAX_ACTIVE_KEYS_LIMIT, MIN_KEY_LIFETIME_SECONDS } from '@keyward/domain';
import type { SetOrganizationPolicyRequest } from '@keyward/messaging';
import { ID_PATTERNS } from '@keyward/messaging';
import { OptionalOrgId } from '@keyward/transport';

/** Omitted fields keep their current value; null clears a limit. */
export class SetOrganizationPolicyRequestDto implements SetOrganizationPolicyRequest {
  @OptionalOrgId() orgId?: string;
  @IsOptional() @IsInt() @Min(1) @Max(MAX_ACTIVE_KEYS_LIMIT) maxActiveKeysPerPrincipal?: number;
  @ValidateIf((_o, value) => value !== null && value !== undefined)
  @IsInt()
  @Min(MIN_KEY_LIFETIME_SECONDS)
  maxKeyLifetimeSeconds?: number | null;
  @ValidateIf((_o, value) => value !== null && value !== undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(ID_PATTERNS.roleName, { each: true, message: 'each role must be a role name' })
  allowedServiceAccountRoles?: string[] | null;
}
