import type { ServiceAccountUsageRequest } from '@keyward/messaging';
import { AccountId, OptionalOrgId, UsageDays } from '@keyward/transport';

export class ServiceAccountUsageRequestDto implements ServiceAccountUsageRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
  @UsageDays() days?: number;
}
