import type { DeleteServiceAccountRequest } from '@keyward/messaging';
import { AccountId, OptionalOrgId } from '@keyward/transport';

export class DeleteServiceAccountRequestDto implements DeleteServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
}
