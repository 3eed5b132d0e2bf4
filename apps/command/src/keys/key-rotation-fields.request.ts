import { IsOptional } from 'class-validator';
import { FIELD_BOUNDS, type KeyRotationFields } from '@keyward/messaging';
import {
  BoundedInt,
  KeyId,
  OptionalEpochSeconds,
  OptionalOrgId,
  OptionalSafeName,
  OptionalSafeText,
} from '@keyward/transport';

/**
 * What every rotation request carries (docs/product-rules.md rule 10), whoever owns the key:
 * the key, the grace, and the successor's fields as for issuing.
 */
export class KeyRotationFieldsDto implements KeyRotationFields {
  @OptionalOrgId() orgId?: string;
  @KeyId() keyId!: string;
  @IsOptional() @BoundedInt(FIELD_BOUNDS.rotationGraceSeconds) graceSeconds?: number;
  @OptionalSafeName() name?: string;
  @OptionalSafeText() description?: string;
  @OptionalEpochSeconds() expiresAt?: number;
}
