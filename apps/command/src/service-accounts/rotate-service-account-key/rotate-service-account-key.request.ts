import { IsOptional } from 'class-validator';
import { FIELD_BOUNDS, type RotateServiceAccountKeyRequest } from '@keyward/messaging';
import {
  AccountId,
  BoundedInt,
  KeyId,
  OptionalEpochSeconds,
  OptionalOrgId,
  OptionalSafeName,
  OptionalSafeText,
} from '@keyward/transport';

export class RotateServiceAccountKeyRequestDto implements RotateServiceAccountKeyRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @KeyId() keyId!: string;
  @IsOptional() @BoundedInt(FIELD_BOUNDS.rotationGraceSeconds) graceSeconds?: number;
  @OptionalSafeName() name?: string;
  @OptionalSafeText() description?: string;
  @OptionalEpochSeconds() expiresAt?: number;
}
