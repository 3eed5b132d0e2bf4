import type { GetServiceAccountRequest } from '@keyward/messaging';
import { AccountId, OptionalOrgId } from '../request-fields';

export class GetServiceAccountRequestDto implements GetServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
}
