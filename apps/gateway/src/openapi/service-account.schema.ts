import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { QUERY_LIMITS } from '@keyward/messaging';
import { ActorRefSchema, KeyViewSchema } from './key.schema';
import { ID, LIST_MAX_ITEMS, PERMISSIONS, name, optionalDescription, time } from './fields';

/** `POST /api/service-account/v1/service-account` (seed 003). */
export class CreateServiceAccountBody {
  @ApiProperty(name('Unique among active accounts of the organization, case-insensitively'))
  name!: string;

  @ApiPropertyOptional(optionalDescription())
  description?: string;

  @ApiPropertyOptional({
    type: 'boolean',
    description: 'Accept HTTP Basic (account id and key) for its keys',
    default: false,
  })
  enableBasicAuth?: boolean;

  @ApiPropertyOptional({
    ...ID.roleName,
    description:
      'Its one role (default reader); may not exceed what the caller may grant on any of its ' +
      'resources (AUTH.LEAST_PRIVILEGE)',
  })
  role?: string;

  @ApiPropertyOptional({
    type: 'array',
    items: { ...ID.resource },
    maxItems: LIST_MAX_ITEMS,
    description: 'Default: every resource the caller holds that role on',
  })
  resources?: string[];
}

/** `PATCH …/service-account/{id}`: only name and description; role and resources are fixed. */
export class UpdateServiceAccountBody {
  @ApiPropertyOptional({
    ...name('A new name, unique among active accounts'),
  })
  name?: string;

  @ApiPropertyOptional(optionalDescription())
  description?: string;
}

export class CreatedKeyRefSchema {
  @ApiProperty({ ...ID.keyId })
  keyId!: string;

  @ApiProperty(time('When it was issued'))
  created!: number;
}

/** What create and update answer. */
export class ServiceAccountSchema {
  @ApiProperty({ ...ID.accountId })
  id!: string;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty({ type: 'string' })
  description!: string;

  @ApiProperty({ type: 'boolean' })
  enableBasicAuth!: boolean;

  @ApiProperty({ ...ID.roleName })
  role!: string;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: PERMISSIONS } })
  permissions!: string[];

  @ApiProperty({ type: 'array', items: { ...ID.resource } })
  resources!: string[];

  @ApiProperty(time('When it was created'))
  created!: number;

  @ApiProperty({ type: () => [CreatedKeyRefSchema], description: '[] when just created' })
  keys!: CreatedKeyRefSchema[];
}

/** A service account as the read model lists it. */
export class ServiceAccountViewSchema {
  @ApiProperty({ ...ID.accountId })
  id!: string;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty({ type: 'string' })
  description!: string;

  @ApiProperty({ type: 'boolean' })
  enableBasicAuth!: boolean;

  @ApiProperty({ ...ID.roleName })
  role!: string;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: PERMISSIONS } })
  permissions!: string[];

  @ApiProperty({ type: 'array', items: { ...ID.resource } })
  resources!: string[];

  @ApiProperty({ enum: ['active', 'deleted'] })
  status!: string;

  @ApiProperty(time('When it was created'))
  created!: number;

  @ApiProperty({ type: () => ActorRefSchema })
  createdBy!: ActorRefSchema;

  @ApiProperty(time('Last change'))
  updated!: number;

  @ApiProperty(time('When it was deleted', true))
  deleted!: number | null;

  @ApiProperty({ type: 'integer' })
  activeKeys!: number;

  @ApiProperty(time('The latest accepted use of any of its keys (from the usage rollups)', true))
  lastUsed!: number | null;
}

export class ServiceAccountWithKeysSchema extends ServiceAccountViewSchema {
  @ApiProperty({
    type: () => [KeyViewSchema],
    description: "Every key's metadata; never a hash or secret",
  })
  keys!: KeyViewSchema[];
}

export class ServiceAccountPageSchema {
  @ApiProperty({ type: () => [ServiceAccountViewSchema] })
  items!: ServiceAccountViewSchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'null on the last page' })
  nextCursor!: string | null;
}

/** One key's series in `GET …/service-account/{id}/usage`, aligned with `days`. */
export class KeyDailyUsageSchema {
  @ApiProperty({ ...ID.keyId })
  keyId!: string;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty({ description: 'Prefix and last four characters', example: 'kw_live_…3fQa' })
  hint!: string;

  @ApiProperty({ enum: ['active', 'revoked', 'expired'], description: 'Its status now' })
  status!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    description: 'Accepted uses per day, one number per entry of `days`',
    example: [0, 12, 40],
  })
  uses!: number[];

  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 0 },
    description:
      'Refused attempts (revoked, expired, account deleted) per day, one per entry of `days`',
    example: [0, 0, 3],
  })
  refused!: number[];
}

export class ServiceAccountUsageSchema {
  @ApiProperty({
    type: 'array',
    items: { type: 'integer' },
    minItems: 1,
    maxItems: QUERY_LIMITS.maxUsageDays,
    description: "Epoch seconds of each day's UTC midnight, oldest first; the last one is today",
    example: [1767052800, 1767139200, 1767225600],
  })
  days!: number[];

  @ApiProperty({
    type: () => [KeyDailyUsageSchema],
    description: 'Every key of the account (all statuses), oldest first; never a hash or secret',
  })
  keys!: KeyDailyUsageSchema[];
}
