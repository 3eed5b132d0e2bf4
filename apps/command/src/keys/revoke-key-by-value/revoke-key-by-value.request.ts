import { IsString, MaxLength } from 'class-validator';
import type { RevocationReason, RevokeKeyByValueRequest } from '@keyward/messaging';
import { OptionalOrgId, OptionalReason } from '@keyward/transport';

export class RevokeKeyByValueRequestDto implements RevokeKeyByValueRequest {
  @OptionalOrgId() orgId?: string;
  @IsString() @MaxLength(200) key!: string;
  @OptionalReason() reason?: RevocationReason;
}
