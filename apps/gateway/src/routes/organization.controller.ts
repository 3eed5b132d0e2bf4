import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  COMMAND_SUBJECTS as C,
  QUERY_SUBJECTS as Q,
  type BootstrapOrganizationReply,
  type OrganizationPolicyReply,
  type RoleView,
} from '@keyward/messaging';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith, queryBody } from '../http/request-body';

/** Roles, the organization's policy, and bootstrap with the operator token. */
@Controller('api')
export class OrganizationController {
  constructor(private readonly bus: KeywardBus) {}

  @Get('role/v1/role')
  roles(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<{ items: RoleView[] }>(Q.listRoles, queryBody(query), edge);
  }

  @Post('role/v1/role')
  @HttpCode(201)
  defineRole(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call(C.defineRole, bodyWith(body, { orgId }), edge);
  }

  @Get('organization/v1/policy')
  policy(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<OrganizationPolicyReply>(Q.getOrganizationPolicy, queryBody(query), edge);
  }

  @Put('organization/v1/policy')
  setPolicy(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call<OrganizationPolicyReply>(
      C.setOrganizationPolicy,
      bodyWith(body, { orgId }),
      edge,
    );
  }

  /** Needs `Keyward-Operator-Token`; refuses an organization that exists. */
  @Post('operator/v1/organization')
  @HttpCode(201)
  bootstrap(@Body() body: unknown, @Edge() edge: EdgeCall) {
    return this.bus.call<BootstrapOrganizationReply>(
      C.bootstrapOrganization,
      bodyWith(body, {}),
      edge,
    );
  }
}
