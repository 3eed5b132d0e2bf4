import type { IssuePersonalKeyRequest } from '@keyward/messaging';
import { IsOptional } from 'class-validator';
import { OptionalEpochSeconds, OptionalOrgId, OptionalText, UserId } from '@keyward/transport';

export class IssuePersonalKeyRequestDto implements IssuePersonalKeyRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalText(100) name?: string;
  @OptionalText(1000) description?: string;
  @OptionalEpochSeconds() expiresAt?: number;
  @IsOptional() @UserId() userId?: string;
}
