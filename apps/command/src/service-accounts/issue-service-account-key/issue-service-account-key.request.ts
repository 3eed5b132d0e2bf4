import type { IssueServiceAccountKeyRequest } from '@keyward/messaging';
import { AccountId, EpochSeconds, OptionalOrgId, OptionalText } from '../../shared/request-fields';

export class IssueServiceAccountKeyRequestDto implements IssueServiceAccountKeyRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @OptionalText(100) name?: string;
  @OptionalText(1000) description?: string;
  @EpochSeconds() expiresAt?: number;
}
