import type { Decider, DomainCommand } from './decider';
import type { KeyRevoked } from './key-events';
import { isKeyActive, type KeyOwner, type KeyRing } from './key-ring';
import { keyOwnerOf as memberKeyOwner } from './member/member-access';
import type { MemberEvent } from './member/member-events';
import { evolveMember, initialMemberState, type MemberState } from './member/member-state';
import { keyOwnerOf as accountKeyOwner } from './service-account/service-account-access';
import type { ServiceAccountEvent } from './service-account/service-account-events';
import {
  evolveServiceAccount,
  initialServiceAccountState,
  type ServiceAccountState,
} from './service-account/service-account-state';

/**
 * docs/product-rules.md rule 11: keys of one owner stream that someone reported as leaked. No
 * actor: whoever holds a key's value may have it revoked (the value is the proof), and the
 * command service found the owner stream by the key's hash.
 */
export type RevokeLeakedKeys = DomainCommand<
  'RevokeLeakedKeys',
  { keyIds: readonly string[]; now: number }
>;

/**
 * Each reported key that is still active is revoked with reason `leaked`. A key already revoked
 * or expired, one the stream does not hold, and every key of a deleted account or removed
 * member records nothing: a report never adds a second revocation.
 */
export function revokeLeakedKeys(
  ring: KeyRing,
  owner: KeyOwner,
  command: RevokeLeakedKeys['data'],
): KeyRevoked[] {
  const events: KeyRevoked[] = [];
  for (const keyId of new Set(command.keyIds)) {
    const key = ring.get(keyId);
    if (key === undefined || !isKeyActive(key, command.now)) continue;
    events.push({
      type: 'KeyRevoked',
      data: { orgId: owner.orgId, keyId, owner: owner.owner, reason: 'leaked' },
    });
  }
  return events;
}

/** Leak reports on a service account's stream (same state and evolve as its own decider). */
export const serviceAccountLeakDecider: Decider<
  RevokeLeakedKeys,
  ServiceAccountEvent,
  ServiceAccountState
> = {
  decide: (command, state) =>
    state.type === 'Active'
      ? revokeLeakedKeys(state.data.keys, accountKeyOwner(state.data), command.data)
      : [],
  evolve: evolveServiceAccount,
  initialState: initialServiceAccountState,
};

/** Leak reports on a member's stream (same state and evolve as its own decider). */
export const memberLeakDecider: Decider<RevokeLeakedKeys, MemberEvent, MemberState> = {
  decide: (command, state) =>
    state.type === 'Active'
      ? revokeLeakedKeys(state.data.keys, memberKeyOwner(state.data), command.data)
      : [],
  evolve: evolveMember,
  initialState: initialMemberState,
};
