import type { GetServiceAccountRequest } from '@keyward/messaging';
import { AccountId, OptionalOrgId } from '@keyward/transport';

export class GetServiceAccountRequestDto implements GetServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
}
