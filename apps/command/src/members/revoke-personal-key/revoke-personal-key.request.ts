import { IsOptional } from 'class-validator';
import type { RevocationReason, RevokePersonalKeyRequest } from '@keyward/messaging';
import { KeyId, OptionalOrgId, OptionalReason, UserId } from '@keyward/transport';

export class RevokePersonalKeyRequestDto implements RevokePersonalKeyRequest {
  @OptionalOrgId() orgId?: string;
  @KeyId() keyId!: string;
  @IsOptional() @UserId() userId?: string;
  @OptionalReason() reason?: RevocationReason;
}
