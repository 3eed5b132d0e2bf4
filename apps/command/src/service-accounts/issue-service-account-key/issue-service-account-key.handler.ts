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
    const readBarrier = this.keys.barrier();
    const stream = serviceAccountStream(request.id);
    const owner = this.keys.owner(stream, serviceAccountDecider, readBarrier);
    const scoped = await this.scope.authenticate(call, request.orgId, readBarrier);
    return this.keys.issue(owner, scoped, request);
  }
}
