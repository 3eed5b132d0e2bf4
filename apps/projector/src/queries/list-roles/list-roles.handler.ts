import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLES } from '@keyward/domain';
import { QUERY_SUBJECTS, type Page, type RoleView } from '@keyward/messaging';
import {
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
} from '@keyward/transport';
import { READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import { seconds } from '../views';
import { ListRolesRequestDto } from './list-roles.request';
import { prepared } from '../../store/prepared';

/** Built-in roles, then the org's custom roles by name; any principal of the org may read them. */
@Controller()
export class ListRolesHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    @Inject(READ_MODEL_DB) private readonly db: Db,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.listRoles)
  async handle(
    @Payload(new RequestValidationPipe()) request: ListRolesRequestDto,
    @Call() call: CallContext,
  ): Promise<Page<RoleView>> {
    const caller = await this.callers.authenticate(call, request.orgId);
    const builtIn: RoleView[] = BUILT_IN_ROLE_NAMES.map((name) => ({
      name,
      permissions: [...BUILT_IN_ROLES[name]],
      builtIn: true,
      defined: null,
    }));
    const custom = prepared(
      this.db,
      `SELECT name, permissions, defined_at FROM roles WHERE org_id = ? ORDER BY name`,
    ).all(caller.orgId) as { name: string; permissions: string; defined_at: number }[];
    return {
      items: [
        ...builtIn,
        ...custom.map((row) => ({
          name: row.name,
          permissions: JSON.parse(row.permissions) as string[],
          builtIn: false,
          defined: seconds(row.defined_at),
        })),
      ],
      nextCursor: null,
    };
  }
}
