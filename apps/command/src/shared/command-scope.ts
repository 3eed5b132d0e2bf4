import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Actor, Organization } from '@keyward/domain';
import { Authenticator } from '../auth/authenticator';
import type { ActorRef, CommandContext } from '../pipeline/command-context';
import type { CallContext } from '@keyward/transport';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { OrganizationReader } from './organization-reader';
import { AppError, notePrincipal } from '@keyward/transport';

export interface Scoped {
  actor: Actor;
  context: CommandContext;
  /** The caller's organization, read from its stream while the caller was being verified. */
  organization: () => Promise<Organization>;
}

const PRINTABLE = /^[\x21-\x7e]{1,255}$/;

/** Authenticates the caller and builds the context every event of the command records. */
@Injectable()
export class CommandScope {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly organizations: OrganizationReader,
    private readonly pipeline: CommandPipeline,
  ) {}

  async authenticate(
    call: CallContext,
    requestedOrgId?: string,
    readBarrier: Promise<void> = this.pipeline.barrier(),
  ): Promise<Scoped> {
    const located = await this.authenticator.locate(call.authorization);
    const organization = this.organizations.read(located.location.orgId, readBarrier);
    organization.catch(() => undefined); // awaited, or not needed, by the handler
    const actor = await this.authenticator.verify(located, readBarrier);
    notePrincipal(call, actor.id);
    if (requestedOrgId !== undefined && requestedOrgId !== actor.orgId) {
      throw new AppError(
        'AUTH.ORG_MISMATCH',
        'forbidden',
        `orgId ${requestedOrgId} is not the caller's organization`,
      );
    }
    const context = {
      ...contextFor(call, { kind: actor.kind, id: actor.id }, actor.orgId),
      readBarrier,
    };
    return { actor, context, organization: () => organization };
  }
}

export function contextFor(call: CallContext, actor: ActorRef, orgId: string): CommandContext {
  const idempotencyKey = checkedHeader(call.idempotencyKey, 'Idempotency-Key');
  const correlationId = checkedHeader(call.correlationId, 'Keyward-Correlation-Id') ?? randomUUID();
  const operator = actor.kind === 'operator';
  return {
    actor,
    orgId,
    correlationId,
    ...(idempotencyKey === undefined
      ? {}
      : {
          // One namespace per organization, so another org's keys never collide with ours;
          // within it the caller is part of the request: someone else's retry is a reuse.
          idempotencyKey: `${operator ? 'operator' : orgId}:${idempotencyKey}`,
          requestFingerprint: createHash('sha256')
            .update('id' in actor ? `${actor.kind}:${actor.id}` : actor.kind)
            .update('\u0000')
            .update(call.requestFingerprint)
            .digest('hex'),
        }),
    source: call.source,
  };
}

function checkedHeader(value: string | undefined, name: string): string | undefined {
  if (value === undefined || PRINTABLE.test(value)) return value;
  throw new AppError(
    'REQUEST.INVALID_HEADER',
    'invalid',
    `${name} must be 1 to 255 printable ASCII characters`,
    { header: name },
  );
}
