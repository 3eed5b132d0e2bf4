import type { DeleteServiceAccountRequest } from '@keyward/messaging';
import { AccountId, OptionalOrgId } from '../../shared/request-fields';

export class DeleteServiceAccountRequestDto implements DeleteServiceAccountRequest {
  @OptionalOrgId() orgId?: string;
  @AccountId() id!: string;
}
