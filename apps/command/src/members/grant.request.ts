import type { GrantRequest } from '@keyward/messaging';
import { Matches } from 'class-validator';
import { ID_PATTERNS } from '../shared/ids';
import { RoleName } from '../shared/request-fields';

export class GrantRequestDto implements GrantRequest {
  @Matches(ID_PATTERNS.resource, { message: 'resource must be * or an id like db:analytics' })
  resource!: string;
  @RoleName() role!: string;
}
