import type { RotateServiceAccountKeyRequest } from '@keyward/messaging';
import { AccountId } from '@keyward/transport';
import { KeyRotationFieldsDto } from '../../keys/key-rotation-fields.request';

export class RotateServiceAccountKeyRequestDto
  extends KeyRotationFieldsDto
  implements RotateServiceAccountKeyRequest
{
  @AccountId() id!: string;
}
