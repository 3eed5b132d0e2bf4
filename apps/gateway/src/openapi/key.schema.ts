import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FIELD_BOUNDS } from '@keyward/messaging';
import {
  ID,
  bounded,
  KEY_VALUE_MAX_LENGTH,
  REVOCATION_REASONS,
  epochSeconds,
  optionalDescription,
  optionalName,
  time,
} from './fields';

/** `POST …/key`: a new key; every field optional. */
export class IssueKeyBody {
  @ApiPropertyOptional(optionalName('A name for the key'))
  name?: string;

  @ApiPropertyOptional(optionalDescription())
  description?: string;

  @ApiPropertyOptional({
    ...epochSeconds('When the key stops working; in the future, and within the policy'),
  })
  expiresAt?: number;
}

/** The one reply that carries a secret. */
export class IssuedKeySchema {
  @ApiProperty({ ...ID.keyId })
  keyId!: string;

  @ApiProperty(time('When the key was issued'))
  created!: number;

  @ApiPropertyOptional({
    type: 'string',
    description:
      'The key, shown once: only in the reply that created it, never again (absent when a ' +
      'retry with the same Idempotency-Key is answered)',
    example: 'kw_live_…',
  })
  secret?: string;

  @ApiProperty({ description: 'Prefix and last four characters', example: 'kw_live_…3fQa' })
  hint!: string;

  @ApiProperty(time('When the key expires; null if never', true))
  expiresAt!: number | null;

  @ApiPropertyOptional({
    description: 'True when this answers a retried request: the secret is not shown again',
  })
  replayed?: boolean;
}

/** `POST …/key/{keyId}/rotate`: the grace, then the successor's fields as for issuing. */
export class RotateKeyBody extends IssueKeyBody {
  @ApiPropertyOptional({
    ...bounded(
      FIELD_BOUNDS.rotationGraceSeconds,
      "Seconds the old key keeps working (default 86400; 0 ends it at once). Capped so the old key never outlives the organization's maximum key lifetime or its own expiry",
    ),
  })
  graceSeconds?: number;
}

export class RotatedFromSchema {
  @ApiProperty({ ...ID.keyId })
  keyId!: string;

  @ApiProperty(time('When the old key now expires (after the grace)'))
  expiresAt!: number;
}

/** The successor (its secret shown once) and the old key's new expiry. */
export class RotatedKeySchema extends IssuedKeySchema {
  @ApiProperty({ type: () => RotatedFromSchema, description: 'The key that was rotated' })
  previous!: RotatedFromSchema;
}

export class RevocationReasonBody {
  @ApiPropertyOptional({
    enum: REVOCATION_REASONS,
    description: 'Recorded with the revocation (default manual)',
  })
  reason?: string;
}

/** `POST /api/key/v1/revoke-by-value`. */
export class RevokeByValueBody {
  @ApiProperty({
    type: 'string',
    maxLength: KEY_VALUE_MAX_LENGTH,
    description: 'The key itself (kw_<env>_…); whoever holds it may revoke it',
  })
  key!: string;

  @ApiPropertyOptional({ enum: REVOCATION_REASONS })
  reason?: string;
}

const REVOCATION_POSITION =
  'A store position (decimal string; compare as a big integer) that every live verifier had ' +
  'applied when this reply was sent (a node that was not serving will have applied it before ' +
  "it serves again): the revocation's own, or the store's head when every key was already " +
  'revoked. A verify, authorize or forward-auth answer whose `position` / `X-Keyward-Position` ' +
  'is at or above it was decided with the revocation applied. Null (absent as a header) only ' +
  'for an empty store.';

export class RevokedKeyIdsSchema {
  @ApiProperty({
    type: 'array',
    items: { ...ID.keyId },
    description:
      'Keys revoked by this request; every live verifier refuses them before this reply is sent',
  })
  revokedKeyIds!: string[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    pattern: '^[0-9]+$',
    example: '1179648',
    description: REVOCATION_POSITION,
  })
  position!: string | null;
}

/** The header a revocation answered 204 carries (its position, as in `RevokedKeyIdsSchema`). */
export const REVOCATION_POSITION_HEADER = {
  'X-Keyward-Position': {
    description: REVOCATION_POSITION,
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
};

export class PrincipalRefSchema {
  @ApiProperty({ enum: ['member', 'serviceAccount'] })
  kind!: string;

  @ApiProperty({ type: 'string' })
  id!: string;
}

export class ActorRefSchema {
  @ApiProperty({
    type: 'string',
    example: 'member',
    description: 'member, serviceAccount or operator',
  })
  kind!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'null for the operator' })
  id!: string | null;
}

export class KeyRevocationSchema {
  @ApiProperty(time('When it was revoked'))
  at!: number;

  @ApiProperty({ type: () => ActorRefSchema })
  by!: ActorRefSchema;

  @ApiProperty({ type: 'string', example: 'manual' })
  reason!: string;
}

/** A key's metadata: never its hash or secret. */
export class KeyViewSchema {
  @ApiProperty({ ...ID.keyId })
  keyId!: string;

  @ApiProperty({ type: () => PrincipalRefSchema })
  owner!: PrincipalRefSchema;

  @ApiProperty({ type: 'string' })
  name!: string;

  @ApiProperty({ type: 'string' })
  description!: string;

  @ApiProperty({ description: 'Prefix and last four characters', example: 'kw_live_…3fQa' })
  hint!: string;

  @ApiProperty({ enum: ['active', 'revoked', 'expired'] })
  status!: string;

  @ApiProperty(time('When it was issued'))
  created!: number;

  @ApiProperty({ type: () => ActorRefSchema })
  createdBy!: ActorRefSchema;

  @ApiProperty(time('When it expires; null if never', true))
  expiresAt!: number | null;

  @ApiProperty(time('Last accepted use (from the verifiers, at most a minute late)', true))
  lastUsed!: number | null;

  @ApiProperty({ type: 'integer', description: 'Accepted uses' })
  uses!: number;

  @ApiProperty({ type: 'integer', description: 'Refused attempts' })
  refused!: number;

  @ApiProperty(time('Last refused attempt', true))
  lastRefused!: number | null;

  @ApiProperty({ type: () => KeyRevocationSchema, nullable: true })
  revoked!: KeyRevocationSchema | null;

  @ApiProperty({
    ...ID.keyId,
    nullable: true,
    description: 'The key this one replaced in a rotation, or null',
  })
  succeeds!: string | null;

  @ApiProperty({
    ...ID.keyId,
    nullable: true,
    description: 'The key that replaced this one in a rotation (this one then expires), or null',
  })
  succeededBy!: string | null;
}

export class KeyPageSchema {
  @ApiProperty({ type: () => [KeyViewSchema] })
  items!: KeyViewSchema[];

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Pass back as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
