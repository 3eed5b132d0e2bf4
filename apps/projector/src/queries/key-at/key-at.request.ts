import type { KeyAtRequest } from '@keyward/messaging';
import { EpochSeconds, KeyId, OptionalOrgId } from '@keyward/transport';

export class KeyAtRequestDto implements KeyAtRequest {
  @OptionalOrgId() orgId?: string;
  @KeyId() keyId!: string;
  @EpochSeconds() time!: number;
}
