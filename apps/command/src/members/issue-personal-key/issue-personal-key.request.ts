import type { IssuePersonalKeyRequest } from '@keyward/messaging';
import { EpochSeconds, OptionalOrgId, OptionalText } from '../../shared/request-fields';

export class IssuePersonalKeyRequestDto implements IssuePersonalKeyRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalText(100) name?: string;
  @OptionalText(1000) description?: string;
  @EpochSeconds() expiresAt?: number;
}
