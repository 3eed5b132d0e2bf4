import type { IssueServiceAccountKeyRequest } from '@keyward/messaging';
import {
  AccountId,
  OptionalEpochSeconds,
  OptionalOrgId,
  OptionalSafeName,
  OptionalSafeText,
} from '@keyward/transport';

export class IssueServiceAccountKeyRequestDto implements IssueServiceAccountKeyRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @OptionalSafeName() name?: string;
  @OptionalSafeText() description?: string;
  @OptionalEpochSeconds() expiresAt?: number;
}
