import type { RevocationReason, RevokeServiceAccountKeyRequest } from '@keyward/messaging';
import { AccountId, KeyId, OptionalOrgId, OptionalReason } from '@keyward/transport';

export class RevokeServiceAccountKeyRequestDto implements RevokeServiceAccountKeyRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @KeyId() keyId!: string;
  @OptionalReason() reason?: RevocationReason;
}
