import type { GrantRequest } from '@keyward/messaging';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, Matches, ValidateNested } from 'class-validator';
import { ID_PATTERNS } from '@keyward/messaging';
import { RoleName } from '@keyward/transport';

export class GrantRequestDto implements GrantRequest {
  @Matches(ID_PATTERNS.resource, { message: 'resource must be * or an id like db:analytics' })
  resource!: string;
  @RoleName() role!: string;
}

/** A member's grants: at most 100, each a resource and a role. */
export const Grants = () =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(100),
    ValidateNested({ each: true }),
    Type(() => GrantRequestDto),
  );
