import { Inject, Injectable } from '@nestjs/common';
import {
  actorOfMember,
  actorOfServiceAccount,
  isKeyActive,
  memberDecider,
  serviceAccountDecider,
  STREAM_PREFIXES,
  type Actor,
  type ApiKey,
} from '@keyward/domain';
import { extractCredential, hashApiKey, parseApiKey, type Credential } from '@keyward/keys';
import type { InvalidReason } from '@keyward/messaging';
import { AppError } from '@keyward/transport';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { KeyLocator, type KeyLocation } from '../store-follower/key-locator';
import { CLOCK, type Clock } from '../tokens';

export interface LocatedCredential {
  credential: Exclude<Credential, { kind: 'none' }>;
  location: KeyLocation;
}

export type Verification =
  | { valid: true; actor: Actor; key: ApiKey; role: string | null }
  | { valid: false; reason: Exclude<InvalidReason, 'unavailable'> };

/**
 * Turns an Authorization header into an Actor, in two steps so callers can read other streams
 * of the org while the second runs. The locator only says where the key lives; the owner's own
 * stream decides whether key and owner are still valid, so a revocation is effective for
 * commands the moment it is appended.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly locator: KeyLocator,
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async locate(authorization: string | undefined): Promise<LocatedCredential> {
    const located = await this.tryLocate(authorization);
    if (located === 'malformed' && !authorization?.trim()) {
      throw unauthenticated('AUTH.MISSING_CREDENTIAL', 'an Authorization header is required');
    }
    if (typeof located === 'string') throw invalidCredential();
    return located;
  }

  async verify(located: LocatedCredential, readBarrier?: Promise<void>): Promise<Actor> {
    const verification = await this.check(located, readBarrier);
    if (!verification.valid) throw invalidCredential();
    return verification.actor;
  }

  /** The full answer with its reason, for `verify` callers that are not themselves acting. */
  async verification(authorization: string | undefined): Promise<Verification> {
    const located = await this.tryLocate(authorization);
    return typeof located === 'string' ? { valid: false, reason: located } : this.check(located);
  }

  private async tryLocate(
    authorization: string | undefined,
  ): Promise<LocatedCredential | 'malformed' | 'unknown'> {
    const credential = extractCredential(authorization ?? '');
    if (credential.kind === 'none' || !parseApiKey(credential.key).ok) return 'malformed';
    const location = await this.locator.locate(hashApiKey(credential.key));
    return location ? { credential, location } : 'unknown';
  }

  private async check(
    { credential, location }: LocatedCredential,
    readBarrier?: Promise<void>,
  ): Promise<Verification> {
    const owner = await this.loadOwner(location.streamName, readBarrier);
    const key = owner.keys?.get(location.keyId);
    if (!key) return { valid: false, reason: 'unknown' };
    if (owner.deleted || key.revokedReason === 'account_deleted') {
      return { valid: false, reason: 'account_deleted' };
    }
    if (key.revokedReason !== null || !owner.actor) return { valid: false, reason: 'revoked' };
    if (!isKeyActive(key, this.clock.now())) return { valid: false, reason: 'expired' };
    if (
      credential.kind === 'basic' &&
      (!owner.basicAuthAllowed || credential.username !== owner.actor.id)
    ) {
      return { valid: false, reason: 'unknown' };
    }
    return { valid: true, actor: owner.actor, key, role: owner.role };
  }

  private async loadOwner(streamName: string, readBarrier?: Promise<void>) {
    if (streamName.startsWith(STREAM_PREFIXES.serviceAccount)) {
      const { state } = await this.pipeline.load(streamName, serviceAccountDecider, readBarrier);
      return {
        actor: actorOfServiceAccount(state),
        role: state.type === 'Missing' ? null : state.data.role,
        keys: state.type === 'Missing' ? undefined : state.data.keys,
        deleted: state.type === 'Deleted',
        basicAuthAllowed: state.type === 'Active' && state.data.enableBasicAuth,
      };
    }
    const { state } = await this.pipeline.load(streamName, memberDecider, readBarrier);
    return {
      actor: actorOfMember(state),
      role: null,
      keys: state.type === 'Missing' ? undefined : state.data.keys,
      deleted: false,
      basicAuthAllowed: false,
    };
  }
}

function unauthenticated(code: string, message: string): AppError {
  return new AppError(code, 'unauthenticated', message);
}

// One answer for unknown, revoked, expired and deleted: the caller learns nothing about which.
function invalidCredential(): AppError {
  return unauthenticated('AUTH.INVALID_CREDENTIAL', 'the credential is not valid');
}
