import type { RevocationReason, RevokeAllServiceAccountKeysRequest } from '@keyward/messaging';
import { AccountId, OptionalOrgId, OptionalReason } from '@keyward/transport';

export class RevokeAllServiceAccountKeysRequestDto implements RevokeAllServiceAccountKeysRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @OptionalReason() reason?: RevocationReason;
}
