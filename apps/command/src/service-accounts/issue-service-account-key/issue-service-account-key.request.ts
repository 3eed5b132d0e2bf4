import type { IssueServiceAccountKeyRequest } from '@keyward/messaging';
import { AccountId, OptionalEpochSeconds, OptionalOrgId, OptionalText } from '@keyward/transport';

export class IssueServiceAccountKeyRequestDto implements IssueServiceAccountKeyRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @OptionalText(100) name?: string;
  @OptionalText(1000) description?: string;
  @OptionalEpochSeconds() expiresAt?: number;
}
