import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ID, LIST_MAX_ITEMS, ORG_ROLES, PERMISSIONS, name, time } from './fields';

export class GrantBody {
  @ApiProperty({ ...ID.resource })
  resource!: string;

  @ApiProperty({ ...ID.roleName, description: 'A built-in or custom role' })
  role!: string;
}

/** `POST /api/member/v1/member`. */
export class AddMemberBody {
  @ApiProperty({ ...ID.userId })
  userId!: string;

  @ApiProperty(name('Display name'))
  displayName!: string;

  @ApiPropertyOptional({ enum: ORG_ROLES, default: 'member' })
  orgRole?: string;

  @ApiProperty({
    type: () => [GrantBody],
    maxItems: LIST_MAX_ITEMS,
    description: 'A role per resource; each resource at most once',
  })
  grants!: GrantBody[];
}

/** `PATCH /api/member/v1/member/{userId}`: the grants replace the current ones. */
export class ChangeMemberGrantsBody {
  @ApiPropertyOptional({ enum: ORG_ROLES })
  orgRole?: string;

  @ApiProperty({ type: () => [GrantBody], maxItems: LIST_MAX_ITEMS })
  grants!: GrantBody[];
}

export class MemberGrantSchema {
  @ApiProperty({ ...ID.resource })
  resource!: string;

  @ApiProperty({ ...ID.roleName })
  role!: string;

  @ApiProperty({ type: 'array', items: { type: 'string', enum: PERMISSIONS } })
  permissions!: string[];
}

export class MemberSchema {
  @ApiProperty({ ...ID.userId })
  userId!: string;

  @ApiProperty({ type: 'string' })
  displayName!: string;

  @ApiProperty({ enum: ORG_ROLES })
  orgRole!: string;

  @ApiProperty({ type: () => [MemberGrantSchema] })
  grants!: MemberGrantSchema[];
}

export class MemberViewSchema extends MemberSchema {
  @ApiProperty({ enum: ['active', 'removed'] })
  status!: string;

  @ApiProperty(time('When the member was added'))
  added!: number;

  @ApiProperty(time('When the member was removed', true))
  removed!: number | null;

  @ApiProperty({ type: 'integer' })
  activeKeys!: number;
}

export class MemberPageSchema {
  @ApiProperty({ type: () => [MemberViewSchema] })
  items!: MemberViewSchema[];

  @ApiProperty({ type: 'string', nullable: true, description: 'null on the last page' })
  nextCursor!: string | null;
}
