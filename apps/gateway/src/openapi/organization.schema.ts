import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FIELD_BOUNDS } from '@keyward/messaging';
import { IssuedKeySchema } from './key.schema';
import { ID, LIST_MAX_ITEMS, PERMISSIONS, bounded, name, time } from './fields';

/** `POST /api/role/v1/role`: a custom role. */
export class DefineRoleBody {
  @ApiProperty({ ...ID.roleName, description: 'Not a built-in role, not defined yet' })
  name!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: PERMISSIONS },
    minItems: 1,
    maxItems: PERMISSIONS.length,
  })
  permissions!: string[];
}

export class RoleSchema {
  @ApiProperty({ ...ID.roleName })
  name!: string;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: PERMISSIONS } })
  permissions!: string[];
}

export class RoleViewSchema extends RoleSchema {
  @ApiProperty({ type: 'boolean' })
  builtIn!: boolean;

  @ApiProperty(time('When a custom role was defined; null for built-in roles', true))
  defined!: number | null;
}

export class RoleListSchema {
  @ApiProperty({ type: () => [RoleViewSchema], description: 'Built-in roles, then custom roles' })
  items!: RoleViewSchema[];
}

/**
 * `PUT /api/organization/v1/policy`: omitted fields keep their value; null clears a limit (and
 * puts the expiry notice back on the deployment default).
 */
export class SetPolicyBody {
  @ApiPropertyOptional({
    ...bounded(FIELD_BOUNDS.maxActiveKeysPerPrincipal, 'Most active keys per member or account'),
  })
  maxActiveKeysPerPrincipal?: number;

  @ApiPropertyOptional({
    ...bounded(
      FIELD_BOUNDS.maxKeyLifetimeSeconds,
      'Longest key lifetime in seconds, or null',
      true,
    ),
  })
  maxKeyLifetimeSeconds?: number | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { ...ID.roleName },
    maxItems: LIST_MAX_ITEMS,
    nullable: true,
    description: 'Roles service accounts may have, or null for any',
  })
  allowedServiceAccountRoles?: string[] | null;

  @ApiPropertyOptional({
    ...bounded(
      FIELD_BOUNDS.expiryNoticeSeconds,
      "How long before a key's expiry its key.expiring_soon notice is sent, in seconds (0: none, only key.expired), or null for the deployment default",
      true,
    ),
  })
  expiryNoticeSeconds?: number | null;
}

export class PolicySchema {
  @ApiProperty({ type: 'integer' })
  maxActiveKeysPerPrincipal!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  maxKeyLifetimeSeconds!: number | null;

  @ApiProperty({ type: 'array', items: { ...ID.roleName }, nullable: true })
  allowedServiceAccountRoles!: string[] | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    description:
      "Seconds before a key's expiry its key.expiring_soon notice is sent (0: none); null: the deployment default",
  })
  expiryNoticeSeconds!: number | null;
}

export class BootstrapAdminBody {
  @ApiProperty({ ...ID.userId })
  userId!: string;

  @ApiProperty(name('Display name'))
  displayName!: string;
}

/** `POST /api/operator/v1/organization`. */
export class BootstrapBody {
  @ApiPropertyOptional({
    ...ID.orgId,
    description: 'The new organization id (default: a generated org-… id)',
  })
  orgId?: string;

  @ApiProperty(name('Organization name'))
  name!: string;

  @ApiProperty({ type: () => BootstrapAdminBody, description: 'Its first org admin' })
  admin!: BootstrapAdminBody;
}

export class BootstrapReplySchema {
  @ApiProperty({ ...ID.orgId })
  orgId!: string;

  @ApiProperty({ ...ID.userId })
  adminUserId!: string;

  @ApiProperty({ type: () => IssuedKeySchema, description: "The admin's first key" })
  key!: IssuedKeySchema;
}
