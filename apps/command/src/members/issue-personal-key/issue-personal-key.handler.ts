import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { memberDecider, memberStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type IssuedKeyReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { CommandScope } from '../../shared/command-scope';
import { IssuePersonalKeyRequestDto } from './issue-personal-key.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

/** A member issues their own keys; an org admin may issue one for another member. */
@Controller()
export class IssuePersonalKeyHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.issuePersonalKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: IssuePersonalKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<IssuedKeyReply> {
    const scoped = await this.scope.authenticate(call, request.orgId);
    const { orgId, id } = scoped.actor;
    return this.keys.issue(
      { streamName: memberStream(orgId, request.userId ?? id), decider: memberDecider },
      scoped,
      request,
    );
  }
}
