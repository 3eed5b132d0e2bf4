import { EMPTY_KEY_RING, evolveKeyRing, type KeyRing } from '../key-ring';
import type { MemberEvent, MemberGrant, OrgRole } from './member-events';

export interface Member {
  orgId: string;
  userId: string;
  displayName: string;
  orgRole: OrgRole;
  grants: MemberGrant[];
  keys: KeyRing;
}

// A removed member keeps its (all revoked) keys so that a re-added member cannot reuse a key id.
export type MemberState =
  { type: 'Missing' } | { type: 'Active'; data: Member } | { type: 'Removed'; data: Member };

type KnownMember = Exclude<MemberState, { type: 'Missing' }>;

export function initialMemberState(): MemberState {
  return { type: 'Missing' };
}

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  if (event.type === 'MemberAdded') {
    const keys = state.type === 'Missing' ? EMPTY_KEY_RING : state.data.keys;
    return { type: 'Active', data: { ...event.data, keys } };
  }
  if (state.type === 'Missing') return state;
  return applyChange(state, event);
}

function applyChange(state: KnownMember, event: MemberEvent): MemberState {
  const member = state.data;
  switch (event.type) {
    case 'MemberAdded':
      return state;
    case 'MemberGrantsChanged': {
      const { orgRole, grants } = event.data;
      return { ...state, data: { ...member, orgRole, grants } };
    }
    case 'MemberRemoved':
      return { type: 'Removed', data: member };
    case 'KeyIssued':
    case 'KeyRevoked':
    case 'KeyRotated':
      return { ...state, data: { ...member, keys: evolveKeyRing(member.keys, event) } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
