import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { COMMAND_SUBJECTS, type IssuedKeyReply } from '@keyward/messaging';
import { KeyOperations } from '../../keys/key-operations';
import { ServiceAccountKeys } from '../service-account-key-access';
import { IssueServiceAccountKeyRequestDto } from './issue-service-account-key.request';
import { Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

@Controller()
export class IssueServiceAccountKeyHandler {
  constructor(
    private readonly accountKeys: ServiceAccountKeys,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.issueServiceAccountKey)
  async handle(
    @Payload(new RequestValidationPipe()) request: IssueServiceAccountKeyRequestDto,
    @Call() call: CallContext,
  ): Promise<IssuedKeyReply> {
    const { owner, scoped } = await this.accountKeys.open(call, request);
    return this.keys.issue(owner, scoped, request);
  }
}
