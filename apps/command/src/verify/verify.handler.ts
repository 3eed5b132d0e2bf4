import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  VERIFY_SUBJECTS,
  type AuthorizeReply,
  type AuthorizeRequest,
  type VerifiedKey,
  type VerifyReply,
  type VerifyRequest,
} from '@keyward/messaging';
import { effectivePermissions, normalizePermissions } from '@keyward/domain';
import { Authenticator, type Verification } from '../auth/authenticator';

/**
 * `verify` and `authorize` answered from the store itself, behind the read barrier: correct but
 * not fast. The auth-verifier nodes (issue 4) take these subjects over with an in-memory index.
 */
@Controller()
export class VerifyHandler {
  constructor(private readonly authenticator: Authenticator) {}

  @MessagePattern(VERIFY_SUBJECTS.verify)
  async verify(@Payload() request: VerifyRequest): Promise<VerifyReply> {
    const verification = await this.authenticator.verification(credentialOf(request));
    return verification.valid ? verified(verification) : verification;
  }

  @MessagePattern(VERIFY_SUBJECTS.authorize)
  async authorize(@Payload() request: AuthorizeRequest): Promise<AuthorizeReply> {
    const verification = await this.authenticator.verification(credentialOf(request));
    if (!verification.valid) return { ...verification, allowed: false };
    const held = effectivePermissions(verification.actor.grants, String(request.resource));
    return {
      ...verified(verification),
      allowed: held.includes(request.permission),
    };
  }
}

function credentialOf(request: VerifyRequest): string | undefined {
  const value = request?.authorization ?? request?.key;
  return typeof value === 'string' ? value : undefined;
}

function verified({ actor, key, role }: Extract<Verification, { valid: true }>): VerifiedKey {
  const permissions = normalizePermissions(actor.grants.flatMap((g) => g.permissions));
  return {
    valid: true,
    principal: { kind: actor.kind, id: actor.id },
    orgId: actor.orgId,
    orgAdmin: actor.orgAdmin,
    role,
    permissions,
    resources: actor.grants.map((g) => g.resource),
    grants: actor.grants.map((g) => ({ resource: g.resource, permissions: g.permissions })),
    keyId: key.keyId,
    expiresAt: key.expiresAt === null ? null : Math.floor(key.expiresAt / 1000),
  };
}
