import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  actorOfMember,
  BUILT_IN_ROLES,
  memberDecider,
  memberStream,
  organizationDecider,
  organizationStream,
} from '@keyward/domain';
import { COMMAND_SUBJECTS, type BootstrapOrganizationReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { contextFor } from '../../shared/command-scope';
import { newId } from '../../shared/ids';
import { OrganizationReader } from '../../shared/organization-reader';
import { BootstrapOrganizationRequestDto } from './bootstrap-organization.request';
import { OperatorToken } from '../../shared/operator-token';
import { Call, type CallContext, notePrincipal, RequestValidationPipe } from '@keyward/transport';

/** Creates an org, its first admin member (admin on `*`) and that admin's first key. */
@Controller()
export class BootstrapOrganizationHandler {
  constructor(
    private readonly operatorToken: OperatorToken,
    private readonly pipeline: CommandPipeline,
    private readonly keys: KeyOperations,
    private readonly organizations: OrganizationReader,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.bootstrapOrganization)
  async handle(
    @Payload(new RequestValidationPipe()) request: BootstrapOrganizationRequestDto,
    @Call() call: CallContext,
  ): Promise<BootstrapOrganizationReply> {
    this.operatorToken.check(call.operatorToken);
    notePrincipal(call, 'operator');
    const draft = contextFor(call, { kind: 'operator' }, '');
    const orgId =
      request.orgId ??
      newId('org', draft.idempotencyKey, 'bootstrap').replace('_', '-').slice(0, 24);
    const context = { ...draft, orgId };
    const { userId, displayName } = request.admin;

    await this.pipeline.run({
      streamName: organizationStream(orgId),
      decider: organizationDecider,
      commandType: 'CreateOrganization',
      context,
      command: () => ({ type: 'CreateOrganization' as const, data: { orgId, name: request.name } }),
    });
    const grants = [{ resource: '*', role: 'admin', permissions: [...BUILT_IN_ROLES.admin] }];
    const member = await this.pipeline.run({
      streamName: memberStream(orgId, userId),
      decider: memberDecider,
      commandType: 'AddMember',
      context,
      command: () => ({
        type: 'AddMember' as const,
        data: { actor: null, orgId, userId, displayName, orgRole: 'admin' as const, grants },
      }),
    });
    const admin = actorOfMember(member.state);
    if (!admin) throw new Error('bootstrap admin is not active');
    const owner = { streamName: memberStream(orgId, userId), decider: memberDecider };
    const organization = this.organizations.read(orgId);
    const scoped = { actor: admin, context, organization: () => organization };
    const key = await this.keys.issue(owner, scoped, { name: 'bootstrap' });
    return { orgId, adminUserId: userId, key };
  }
}
