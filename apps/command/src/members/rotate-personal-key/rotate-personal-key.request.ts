import { IsOptional } from 'class-validator';
import type { RotatePersonalKeyRequest } from '@keyward/messaging';
import { UserId } from '@keyward/transport';
import { KeyRotationFieldsDto } from '../../keys/key-rotation-fields.request';

export class RotatePersonalKeyRequestDto
  extends KeyRotationFieldsDto
  implements RotatePersonalKeyRequest
{
  @IsOptional() @UserId() userId?: string;
}
