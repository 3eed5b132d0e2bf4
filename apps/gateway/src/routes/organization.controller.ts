import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  COMMAND_SUBJECTS as C,
  QUERY_SUBJECTS as Q,
  type BootstrapOrganizationReply,
  type OrganizationPolicyReply,
  type RoleView,
} from '@keyward/messaging';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { KeywardBus } from '../bus/keyward-bus';
import { Edge, type EdgeCall } from '../http/edge-call';
import { bodyWith, queryBody } from '../http/request-body';
import { ApiCaller, ApiIdempotent, ApiJsonBody, ApiOrgId, SECURITY } from '../openapi/decorators';
import { ApiErrors } from '../openapi/error.schema';
import {
  BootstrapBody,
  BootstrapReplySchema,
  DefineRoleBody,
  PolicySchema,
  RoleListSchema,
  RoleSchema,
  SetPolicyBody,
} from '../openapi/organization.schema';

/** Roles, the organization's policy, and bootstrap with the operator token. */
@ApiTags('organization')
@Controller('api')
export class OrganizationController {
  constructor(private readonly bus: KeywardBus) {}

  @Get('role/v1/role')
  @ApiOperation({ summary: 'List roles', description: 'Built-in roles, then custom roles.' })
  @ApiCaller()
  @ApiOrgId()
  @ApiOkResponse({ type: RoleListSchema })
  @ApiErrors(400)
  roles(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<{ items: RoleView[] }>(Q.listRoles, queryBody(query), edge);
  }

  @Post('role/v1/role')
  @HttpCode(201)
  @ApiOperation({ summary: 'Define a custom role (org admins)' })
  @ApiCaller()
  @ApiOrgId()
  @ApiJsonBody(DefineRoleBody, 'Its name and permissions')
  @ApiIdempotent()
  @ApiResponse({ status: 201, type: RoleSchema })
  @ApiErrors(409)
  defineRole(
    @Body() body: unknown,
    @Query('orgId') orgId: string | undefined,
    @Edge() edge: EdgeCall,
  ) {
    return this.bus.call(C.defineRole, bodyWith(body, { orgId }), edge);
  }

  @Get('organization/v1/policy')
  @ApiOperation({
    summary: "The organization's key policy",
    description: 'The defaults until one is set.',
  })
  @ApiCaller()
  @ApiOrgId()
  @ApiOkResponse({ type: PolicySchema })
  @ApiErrors(400)
  policy(@Query() query: Record<string, unknown>, @Edge() edge: EdgeCall) {
    return this.bus.call<OrganizationPolicyReply>(Q.getOrganizationPolicy, queryBody(query), edge);
  }

  @Put('organization/v1/policy')
  @ApiOperation({
    summary: "Set the organization's key policy (org admins)",
    description: 'Omitted fields keep their value; null clears a limit.',
  })
  @ApiCaller()
  @ApiOrgId()
  @ApiJsonBody(SetPolicyBody, 'The fields to change')
  @ApiIdempotent()
  @ApiOkResponse({ type: PolicySchema })
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
  @ApiOperation({
    summary: 'Bootstrap an organization and its first admin',
    description:
      "Needs the deployment's operator token; answers the admin's first key, whose secret is " +
      'in this reply only.',
  })
  @ApiSecurity(SECURITY.operatorToken)
  @ApiJsonBody(BootstrapBody, 'The organization and its first admin')
  @ApiIdempotent()
  @ApiResponse({ status: 201, type: BootstrapReplySchema })
  @ApiErrors(401, 409)
  bootstrap(@Body() body: unknown, @Edge() edge: EdgeCall) {
    return this.bus.call<BootstrapOrganizationReply>(
      C.bootstrapOrganization,
      bodyWith(body, {}),
      edge,
    );
  }
}
