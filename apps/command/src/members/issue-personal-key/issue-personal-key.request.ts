import type { IssuePersonalKeyRequest } from '@keyward/messaging';
import { IsOptional } from 'class-validator';
import {
  OptionalEpochSeconds,
  OptionalOrgId,
  OptionalSafeName,
  OptionalSafeText,
  UserId,
} from '@keyward/transport';

export class IssuePersonalKeyRequestDto implements IssuePersonalKeyRequest {
  @OptionalOrgId() orgId?: string;
  @OptionalSafeName() name?: string;
  @OptionalSafeText() description?: string;
  @OptionalEpochSeconds() expiresAt?: number;
  @IsOptional() @UserId() userId?: string;
}
