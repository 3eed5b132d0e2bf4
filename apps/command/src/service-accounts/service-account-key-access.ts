import { Injectable } from '@nestjs/common';
import {
  serviceAccountDecider,
  serviceAccountStream,
  type ServiceAccountState,
} from '@keyward/domain';
import { KeyOperations, type KeyOwnerStream } from '../keys/key-operations';
import { CommandScope, type Scoped } from '../shared/command-scope';
import type { CallContext } from '@keyward/transport';

export interface ServiceAccountKeyAccess {
  owner: KeyOwnerStream<ServiceAccountState>;
  scoped: Scoped;
}

/**
 * The start of every service-account key command: the account's stream is read while the
 * caller is authenticated, both behind the same read barrier.
 */
@Injectable()
export class ServiceAccountKeys {
  constructor(
    private readonly scope: CommandScope,
    private readonly keys: KeyOperations,
  ) {}

  async open(
    call: CallContext,
    request: { id: string; orgId?: string },
  ): Promise<ServiceAccountKeyAccess> {
    const readBarrier = this.keys.barrier();
    const owner = this.keys.owner(
      serviceAccountStream(request.id),
      serviceAccountDecider,
      readBarrier,
    );
    const scoped = await this.scope.authenticate(call, request.orgId, readBarrier);
    return { owner, scoped };
  }
}
