import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { serviceAccountDecider, serviceAccountStream } from '@keyward/domain';
import { COMMAND_SUBJECTS, type IssuedKeyReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { CommandScope } from '../../shared/command-scope';
import { Call, type CallContext } from '../../transport/call-context';
import { RequestValidationPipe } from '../../transport/validation.pipe';
import { IssueServiceAccountKeyRequestDto } from './issue-service-account-key.request';

@Controller()
export class IssueServiceAccountKeyHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.issueServiceAccountKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: IssueServiceAccountKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<IssuedKeyReply> {
    const { actor, context } = await this.scope.authenticate(call, request.orgId);
    const owner = { streamName: serviceAccountStream(request.id), decider: serviceAccountDecider };
    return this.keys.issue(owner, actor, request, context);
  }
}
