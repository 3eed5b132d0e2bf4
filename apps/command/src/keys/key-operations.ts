import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_ROTATION_GRACE_SECONDS,
  type Decider,
  type DomainEvent,
  type KeyCommand,
  type KeyIssued,
  type KeyRevoked,
  type KeyRotated,
  type RequestedRevocationReason,
} from '@keyward/domain';
import type {
  IssueKeyFields,
  IssuedKeyReply,
  RevocationReply,
  RotatedKeyReply,
} from '@keyward/messaging';
import { CommandPipeline, type PipelineResult } from '../pipeline/command-pipeline';
import { RevocationPropagation } from '../revocation/revocation-propagation';
import type { FoldedStream } from '../pipeline/folded-stream';
import type { Scoped } from '../shared/command-scope';
import { KeyMinter } from '../shared/key-minter';
import { toEpochSeconds } from '../shared/time';
import { CLOCK, type Clock } from '../tokens';

/** A stream that owns keys: a service account's or a member's. */
export interface KeyOwnerStream<S> {
  streamName: string;
  decider: Decider<KeyCommand, DomainEvent, S>;
  preloaded?: Promise<FoldedStream<S>>;
}

/** Issue, rotate and revoke, the same for service-account keys and personal keys. */
@Injectable()
export class KeyOperations {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly minter: KeyMinter,
    private readonly propagation: RevocationPropagation,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A key-owning stream whose read starts now, while the caller is being authenticated. */
  owner<S>(
    streamName: string,
    decider: KeyOwnerStream<S>['decider'],
    readBarrier: Promise<void>,
  ): KeyOwnerStream<S> {
    const preloaded = this.pipeline.preload(streamName, decider, readBarrier);
    return { streamName, decider, preloaded };
  }

  barrier(): Promise<void> {
    return this.pipeline.barrier();
  }

  async issue<S>(
    owner: KeyOwnerStream<S>,
    scoped: Scoped,
    fields: IssueKeyFields,
  ): Promise<IssuedKeyReply> {
    const { actor, context } = scoped;
    const minted = this.minter.mint(context.idempotencyKey, owner.streamName);
    const result = await this.pipeline.run({
      ...owner,
      commandType: 'IssueKey',
      context,
      command: async () => ({
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
          policy: (await scoped.organization()).policy,
        },
      }),
    });
    return issuedKeyReply(result, minted.secret);
  }

  /**
   * docs/product-rules.md rule 10: the successor and the old key's new expiry in one append.
   * Like a revocation, the reply waits until every live verifier has applied it (0003): the old
   * key's life is shortened (with a grace of 0, ended), and the successor is known everywhere.
   */
  async rotate<S>(
    owner: KeyOwnerStream<S>,
    scoped: Scoped,
    keyId: string,
    fields: IssueKeyFields & { graceSeconds?: number },
  ): Promise<RotatedKeyReply> {
    const { actor, context } = scoped;
    const minted = this.minter.mint(context.idempotencyKey, owner.streamName);
    const result = await this.pipeline.run({
      ...owner,
      commandType: 'RotateKey',
      context,
      command: async () => ({
        type: 'RotateKey' as const,
        data: {
          actor,
          keyId,
          successorKeyId: minted.keyId,
          keyHash: minted.keyHash,
          hint: minted.hint,
          name: fields.name ?? '',
          description: fields.description ?? '',
          expiresAt: fields.expiresAt === undefined ? null : fields.expiresAt * 1000,
          graceSeconds: fields.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS,
          now: this.clock.now(),
          policy: (await scoped.organization()).policy,
        },
      }),
    });
    const rotated = result.events.find((e): e is KeyRotated => e.type === 'KeyRotated');
    if (!rotated) throw new Error('RotateKey appended no KeyRotated event');
    const position = result.position === null ? null : result.position.toString();
    await this.propagation.confirmed({ revokedKeyIds: [rotated.data.keyId], position });
    return {
      ...issuedKeyReply(result, minted.secret),
      previous: { keyId: rotated.data.keyId, expiresAt: toEpochSeconds(rotated.data.expiresAt) },
    };
  }

  async revoke<S>(
    owner: KeyOwnerStream<S>,
    { actor, context }: Scoped,
    keyId: string,
    reason: RequestedRevocationReason,
  ): Promise<RevocationReply> {
    const result = await this.pipeline.run({
      ...owner,
      commandType: 'RevokeKey',
      context,
      command: () => ({ type: 'RevokeKey' as const, data: { actor, keyId, reason } }),
    });
    return this.propagation.confirmed(revocationReply(result));
  }

  async revokeAll<S>(
    owner: KeyOwnerStream<S>,
    { actor, context }: Scoped,
    reason: RequestedRevocationReason,
  ): Promise<RevocationReply> {
    const result = await this.pipeline.run({
      ...owner,
      commandType: 'RevokeAllKeys',
      context,
      command: () => ({ type: 'RevokeAllKeys' as const, data: { actor, reason } }),
    });
    return this.propagation.confirmed(revocationReply(result));
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
