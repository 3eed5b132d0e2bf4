import { Inject, Injectable } from '@nestjs/common';
import {
  actorOfMember,
  actorOfServiceAccount,
  isKeyActive,
  memberDecider,
  serviceAccountDecider,
  STREAM_PREFIXES,
  type Actor,
  type KeyRing,
} from '@keyward/domain';
import { extractCredential, hashApiKey, parseApiKey, type Credential } from '@keyward/keys';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { AppError } from '../transport/app-error';
import { CLOCK, type Clock } from '../tokens';
import { KeyLocator, type KeyLocation } from '../store-follower/key-locator';

export interface LocatedCredential {
  credential: Exclude<Credential, { kind: 'none' }>;
  location: KeyLocation;
}

/**
 * Turns the Authorization header of a NATS message into an Actor, in two steps so callers can
 * read other streams of the org while the second runs. The locator only says where the key
 * lives; the owner's own stream decides whether key and owner are still valid, so a revocation
 * is effective for commands the moment it is appended.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly locator: KeyLocator,
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async locate(authorization: string | undefined): Promise<LocatedCredential> {
    const credential = extractCredential(authorization ?? '');
    if (credential.kind === 'none') {
      throw unauthenticated('AUTH.MISSING_CREDENTIAL', 'an Authorization header is required');
    }
    if (!parseApiKey(credential.key).ok) throw invalidCredential();
    const location = await this.locator.locate(hashApiKey(credential.key));
    if (!location) throw invalidCredential();
    return { credential, location };
  }

  async verify(
    { credential, location }: LocatedCredential,
    readBarrier?: Promise<void>,
  ): Promise<Actor> {
    const owner = await this.loadOwner(location.streamName, readBarrier);
    const { actor, keys, basicAuthAllowed } = owner;
    const key = keys?.get(location.keyId);
    if (!actor || !key || !isKeyActive(key, this.clock.now())) throw invalidCredential();
    if (credential.kind === 'basic' && (!basicAuthAllowed || credential.username !== actor.id)) {
      throw invalidCredential();
    }
    return actor;
  }

  private async loadOwner(streamName: string, readBarrier?: Promise<void>) {
    if (streamName.startsWith(STREAM_PREFIXES.serviceAccount)) {
      const { state } = await this.pipeline.load(streamName, serviceAccountDecider, readBarrier);
      const keys: KeyRing | undefined = state.type === 'Missing' ? undefined : state.data.keys;
      const basicAuthAllowed = state.type === 'Active' && state.data.enableBasicAuth;
      return { actor: actorOfServiceAccount(state), keys, basicAuthAllowed };
    }
    const { state } = await this.pipeline.load(streamName, memberDecider, readBarrier);
    const keys: KeyRing | undefined = state.type === 'Missing' ? undefined : state.data.keys;
    return { actor: actorOfMember(state), keys, basicAuthAllowed: false };
  }
}

function unauthenticated(code: string, message: string): AppError {
  return new AppError(code, 'unauthenticated', message);
}

// One answer for unknown, revoked, expired and deleted: the caller learns nothing about which.
function invalidCredential(): AppError {
  return unauthenticated('AUTH.INVALID_CREDENTIAL', 'the credential is not valid');
}
