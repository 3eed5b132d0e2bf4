import type { UpdateServiceAccountRequest } from '@keyward/messaging';
import { IsOptional } from 'class-validator';
import { AccountId, OptionalOrgId, OptionalSafeText, SafeName } from '@keyward/transport';

/** Only name and description: role and resources are fixed at creation, unknown fields refused. */
export class UpdateServiceAccountRequestDto implements UpdateServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @IsOptional() @SafeName() name?: string;
  @OptionalSafeText() description?: string;
}
