import { ApiProperty } from '@nestjs/swagger';
import { AUDIT_ACTION_NAMES, time } from './fields';

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

/** A member, a service account, or the operator (id null, name `operator`, active null). */
export class AuditActorSchema {
  @ApiProperty({ enum: ['member', 'serviceAccount', 'operator'] })
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
