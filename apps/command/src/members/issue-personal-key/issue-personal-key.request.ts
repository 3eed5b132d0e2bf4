import type { IssuePersonalKeyRequest } from '@keyward/messaging';
import { IsOptional } from 'class-validator';
import { EpochSeconds, OptionalOrgId, OptionalText, UserId } from '../../shared/request-fields';

export class IssuePersonalKeyRequestDto implements IssuePersonalKeyRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalText(100) name?: string;
  @OptionalText(1000) description?: string;
  @EpochSeconds() expiresAt?: number;
  @IsOptional() @UserId() userId?: string;
}
