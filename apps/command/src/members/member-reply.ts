import type { MemberState } from '@keyward/domain';
import type { MemberReply } from '@keyward/messaging';

export function memberReply(state: MemberState): MemberReply {
  if (state.type === 'Missing') throw new Error('member missing after a member command');
  const { userId, displayName, orgRole, grants } = state.data;
  return { userId, displayName, orgRole, grants };
}
