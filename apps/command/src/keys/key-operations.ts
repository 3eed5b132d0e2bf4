import { Inject, Injectable } from '@nestjs/common';
import type {
  Actor,
  Decider,
  DomainEvent,
  KeyCommand,
  KeyIssued,
  KeyRevoked,
  RequestedRevocationReason,
} from '@keyward/domain';
import type { IssueKeyFields, IssuedKeyReply, RevocationReply } from '@keyward/messaging';
import type { CommandContext } from '../pipeline/command-context';
import { CommandPipeline, type PipelineResult } from '../pipeline/command-pipeline';
import { KeyMinter } from '../shared/key-minter';
import { OrganizationReader } from '../shared/organization-reader';
import { toEpochSeconds } from '../shared/time';
import { CLOCK, type Clock } from '../tokens';

/** A stream that owns keys: a service account's or a member's. */
export interface KeyOwnerStream<S> {
  streamName: string;
  decider: Decider<KeyCommand, DomainEvent, S>;
}

/** Issue and revoke, the same for service-account keys and personal keys. */
@Injectable()
export class KeyOperations {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly minter: KeyMinter,
    private readonly organizations: OrganizationReader,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async issue<S>(
    owner: KeyOwnerStream<S>,
    actor: Actor,
    fields: IssueKeyFields,
    context: CommandContext,
  ): Promise<IssuedKeyReply> {
    const { policy } = await this.organizations.read(actor.orgId);
    const minted = this.minter.mint(context.idempotencyKey, owner.streamName);
    const result = await this.pipeline.run({
      ...owner,
      commandType: 'IssueKey',
      context,
      command: () => ({
        type: 'IssueKey' as const,
        data: {
          actor,
          keyId: minted.keyId,
          keyHash: minted.keyHash,
          hint: minted.hint,
          name: fields.name ?? '',
          description: fields.description ?? '',
          expiresAt: fields.expiresAt === undefined ? null : fields.expiresAt * 1000,
          now: this.clock.now(),
          policy,
        },
      }),
    });
    return issuedKeyReply(result, minted.secret);
  }

  async revoke<S>(
    owner: KeyOwnerStream<S>,
    actor: Actor,
    keyId: string,
    reason: RequestedRevocationReason,
    context: CommandContext,
  ): Promise<RevocationReply> {
    const result = await this.pipeline.run({
      ...owner,
      commandType: 'RevokeKey',
      context,
      command: () => ({ type: 'RevokeKey' as const, data: { actor, keyId, reason } }),
    });
    return revocationReply(result);
  }

  async revokeAll<S>(
    owner: KeyOwnerStream<S>,
    actor: Actor,
    reason: RequestedRevocationReason,
    context: CommandContext,
  ): Promise<RevocationReply> {
    const result = await this.pipeline.run({
      ...owner,
      commandType: 'RevokeAllKeys',
      context,
      command: () => ({ type: 'RevokeAllKeys' as const, data: { actor, reason } }),
    });
    return revocationReply(result);
  }
}

export function issuedKeyReply(
  result: PipelineResult<DomainEvent, unknown>,
  secret: string,
): IssuedKeyReply {
  const issued = result.events.find((e): e is KeyIssued => e.type === 'KeyIssued');
  if (!issued) throw new Error('IssueKey appended no KeyIssued event');
  const { keyId, hint, expiresAt } = issued.data;
  return {
    keyId,
    created: toEpochSeconds(result.occurredAt ?? 0),
    hint,
    expiresAt: expiresAt === null ? null : toEpochSeconds(expiresAt),
    // The secret exists only in this process's memory: a replay cannot show it again.
    ...(result.replayed ? { replayed: true } : { secret }),
  };
}

export function revocationReply(result: PipelineResult<DomainEvent, unknown>): RevocationReply {
  const revoked = result.events.filter((e): e is KeyRevoked => e.type === 'KeyRevoked');
  return {
    revokedKeyIds: revoked.map((e) => e.data.keyId),
    position: result.position === null ? null : result.position.toString(),
  };
}
