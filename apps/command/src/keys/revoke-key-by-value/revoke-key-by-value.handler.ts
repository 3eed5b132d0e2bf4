import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DomainError,
  memberDecider,
  serviceAccountDecider,
  STREAM_PREFIXES,
} from '@keyward/domain';
import { hashApiKey, parseApiKey } from '@keyward/keys';
import { COMMAND_SUBJECTS, type RevocationReply } from '@keyward/messaging';
import { KeyLocator } from '../../store-follower/key-locator';
import { CommandScope } from '../../shared/command-scope';
import { KeyOperations, type KeyOwnerStream } from '../key-operations';
import { RevokeKeyByValueRequestDto } from './revoke-key-by-value.request';
import { AppError, Call, type CallContext, RequestValidationPipe } from '@keyward/transport';

/**
 * Seed 000: "enter the API key you'd like to revoke". The value is hashed, located, and revoked
 * through the owner's stream like any other revocation (reason `leaked` unless told otherwise).
 */
@Controller()
export class RevokeKeyByValueHandler {
  constructor(
    private readonly scope: CommandScope,
    private readonly locator: KeyLocator,
    private readonly keys: KeyOperations,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.revokeKeyByValue)
  async handle(
    @Payload(new RequestValidationPipe()) request: RevokeKeyByValueRequestDto,
    @Call() call: CallContext,
  ): Promise<RevocationReply> {
    const scoped = await this.scope.authenticate(call, request.orgId);
    if (!parseApiKey(request.key).ok) {
      throw new AppError('KEY.MALFORMED', 'invalid', 'key is not a Keyward API key', undefined, [
        { field: 'key', message: 'key is not a Keyward API key (bad prefix, length or checksum)' },
      ]);
    }
    const location = await this.locator.locate(hashApiKey(request.key));
    if (!location) throw new DomainError('KEY.NOT_FOUND', 'no such key');
    const owner = ownerStream(location.streamName);
    return this.keys.revoke(owner, scoped, location.keyId, request.reason ?? 'leaked');
  }
}

function ownerStream(streamName: string): KeyOwnerStream<unknown> {
  const decider = streamName.startsWith(STREAM_PREFIXES.serviceAccount)
    ? serviceAccountDecider
    : memberDecider;
  return { streamName, decider } as KeyOwnerStream<unknown>;
}
