import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTION_NAMES, ID, PERMISSIONS, time } from './fields';
import { MemberGrantSchema } from './member.schema';

export class PrincipalViewSchema {
  @ApiProperty({ enum: ['member', 'serviceAccount'] })
  kind!: string;

  @ApiProperty({ type: 'string' })
  id!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'Current name' })
  name!: string | null;

  @ApiProperty({ type: 'boolean', description: 'Whether it is active now' })
  active!: boolean;
}

/**
 * A member, a service account, or an actor that is not a principal (id null, active null): the
 * operator (bootstrap), a leak report (rule 11), or the system (a failing webhook disabled).
 */
export class AuditActorSchema {
  @ApiProperty({ enum: ['member', 'serviceAccount', 'operator', 'leakReport', 'system'] })
  kind!: string;

  @ApiProperty({ type: 'string', nullable: true })
  id!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Its name as of that moment' })
  name!: string | null;

  @ApiProperty({ type: 'boolean', nullable: true, description: 'Whether it is active now' })
  active!: boolean | null;
}

export class AuditTargetSchema {
  @ApiProperty({ type: 'string', example: 'key' })
  kind!: string;

  @ApiProperty({ type: 'string' })
  id!: string;

  @ApiProperty({ type: 'string', nullable: true, description: 'As of that moment' })
  name!: string | null;

  @ApiProperty({ type: () => PrincipalViewSchema, nullable: true, description: "A key's owner" })
  owner!: PrincipalViewSchema | null;

  @ApiProperty({ type: 'boolean', nullable: true })
  active!: boolean | null;
}

export class AuditSourceSchema {
  @ApiProperty({ type: 'string', nullable: true })
  ip!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  userAgent!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'http' })
  channel!: string | null;
}

export class AuditEntrySchema {
  @ApiProperty({ type: 'string', description: 'ev_<position> or us_<sequence>' })
  id!: string;

  @ApiProperty(time('When it happened'))
  time!: number;

  @ApiProperty({ type: 'string', format: 'date-time' })
  occurredAt!: string;

  @ApiProperty({ type: 'string' })
  orgId!: string;

  @ApiProperty({ enum: AUDIT_ACTION_NAMES })
  action!: string;

  @ApiProperty({ type: () => AuditActorSchema })
  actor!: AuditActorSchema;

  @ApiProperty({ type: () => AuditTargetSchema })
  target!: AuditTargetSchema;

  @ApiProperty({ type: () => AuditSourceSchema })
  source!: AuditSourceSchema;

  @ApiProperty({ type: 'string', nullable: true })
  correlationId!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  causationId!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  eventId!: string | null;

  @ApiProperty({ type: 'string', nullable: true })
  eventType!: string | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Store position (decimal)' })
  position!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  details!: Record<string, unknown>;
}

export class AuditPageSchema {
  @ApiProperty({ type: () => [AuditEntrySchema], description: 'Newest first' })
  items!: AuditEntrySchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'null on the last page' })
  nextCursor!: string | null;
}

export class DecidingEventSchema {
  @ApiProperty({ type: 'string' })
  eventId!: string;

  @ApiProperty({ type: 'string', example: 'KeyRevoked' })
  eventType!: string;

  @ApiProperty({ type: 'string', description: 'Store position (decimal)' })
  position!: string;

  @ApiProperty(time('When it occurred (floor of occurredAt)'))
  time!: number;

  @ApiProperty({ type: 'string', format: 'date-time' })
  occurredAt!: string;
}

/** `GET /api/audit/v1/key/{keyId}/at?time=` (rule 12). */
export class KeyAtSchema {
  @ApiProperty({ ...ID.keyId })
  keyId!: string;

  @ApiProperty({ type: 'string' })
  orgId!: string;

  @ApiProperty(time('The instant asked about'))
  time!: number;

  @ApiProperty({ type: 'boolean' })
  valid!: boolean;

  @ApiProperty({
    type: 'string',
    nullable: true,
    enum: ['not_issued_yet', 'revoked', 'expired', 'account_deleted', 'member_removed'],
    description: 'Why it was not valid then; null when it was',
  })
  reason!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'leaked' })
  revocationReason!: string | null;

  @ApiProperty({ type: () => PrincipalViewSchema, description: "The key's owner (name: now)" })
  principal!: PrincipalViewSchema;

  @ApiProperty({ type: 'string', nullable: true, description: "A service account's role then" })
  role!: string | null;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: PERMISSIONS } })
  permissions!: string[];

  @ApiProperty({ type: 'array', items: { ...ID.resource } })
  resources!: string[];

  @ApiProperty({
    type: () => [MemberGrantSchema],
    nullable: true,
    description: "A member's grants then",
  })
  grants!: MemberGrantSchema[] | null;

  @ApiProperty(time('Its expiry as it stood then', true))
  expiresAt!: number | null;

  @ApiProperty({ type: 'string', nullable: true, description: 'Its successor, if rotated by then' })
  successorKeyId!: string | null;

  @ApiProperty({
    type: () => DecidingEventSchema,
    nullable: true,
    description: 'The stored event that decided the answer; null before the key was issued',
  })
  decidedBy!: DecidingEventSchema | null;
}
