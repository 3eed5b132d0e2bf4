import { IsOptional } from 'class-validator';
import type { RevocationReason, RevokeAllPersonalKeysRequest } from '@keyward/messaging';
import { OptionalOrgId, OptionalReason, UserId } from '@keyward/transport';

export class RevokeAllPersonalKeysRequestDto implements RevokeAllPersonalKeysRequest {
  @OptionalOrgId() orgId?: string;
  @IsOptional() @UserId() userId?: string;
  @OptionalReason() reason?: RevocationReason;
}
