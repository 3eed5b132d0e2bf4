import type { UpdateServiceAccountRequest } from '@keyward/messaging';
import { IsOptional } from 'class-validator';
import { AccountId, DisplayName, OptionalOrgId, OptionalText } from '@keyward/transport';

/** Only name and description: role and resources are fixed at creation, unknown fields refused. */
export class UpdateServiceAccountRequestDto implements UpdateServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @IsOptional() @DisplayName() name?: string;
  @OptionalText(1000) description?: string;
}
