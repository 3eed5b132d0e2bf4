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
import { extractCredential, hashApiKey, parseApiKey } from '@keyward/keys';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { AppError } from '../transport/app-error';
import { CLOCK, type Clock } from '../tokens';
import { KeyLocator } from './key-locator';

export interface Authenticated {
  actor: Actor;
  keyId: string;
}

/**
 * Turns the Authorization header of a NATS message into an Actor. The locator only says where
 * the key lives; the owner's own stream decides whether key and owner are still valid, so a
 * revocation is effective for commands the moment it is appended.
 */
@Injectable()
export class Authenticator {
  constructor(
    private readonly locator: KeyLocator,
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Authenticated> {
    const credential = extractCredential(authorization ?? '');
    if (credential.kind === 'none') {
      throw unauthenticated('AUTH.MISSING_CREDENTIAL', 'an Authorization header is required');
    }
    const parsed = parseApiKey(credential.key);
    if (!parsed.ok) throw invalidCredential();
    const location = await this.locator.locate(hashApiKey(credential.key));
    if (!location) throw invalidCredential();

    const { actor, keys, basicAuthAllowed } = await this.loadOwner(location.streamName);
    const key = keys?.get(location.keyId);
    if (!actor || !key || !isKeyActive(key, this.clock.now())) throw invalidCredential();
    if (credential.kind === 'basic' && (!basicAuthAllowed || credential.username !== actor.id)) {
      throw invalidCredential();
    }
    return { actor, keyId: location.keyId };
  }

  private async loadOwner(streamName: string) {
    if (streamName.startsWith(STREAM_PREFIXES.serviceAccount)) {
      const { state } = await this.pipeline.load(streamName, serviceAccountDecider);
      const keys: KeyRing | undefined = state.type === 'Missing' ? undefined : state.data.keys;
      const basicAuthAllowed = state.type === 'Active' && state.data.enableBasicAuth;
      return { actor: actorOfServiceAccount(state), keys, basicAuthAllowed };
    }
    const { state } = await this.pipeline.load(streamName, memberDecider);
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
