import { ORG } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { memberAdded, memberGrant, memberRemoved, USER_ID } from '../testing/member-fixtures';
import { actorOfMember } from './member-actor';
import { memberDecider } from './member-decider';

describe('actorOfMember', () => {
  it('acts with the resolved grants and org role of an active member', () => {
    const grants = [memberGrant('*', 'reader'), memberGrant('db:a', 'writer')];
    expect(actorOfMember(given(memberDecider, [memberAdded('admin', grants)]).state)).toEqual({
      kind: 'member',
      id: USER_ID,
      orgId: ORG,
      orgAdmin: true,
      grants: [
        { resource: '*', permissions: ['read'] },
        { resource: 'db:a', permissions: ['read', 'execute', 'write', 'delete'] },
      ],
    });
  });

  it('is null for a removed or unknown member', () => {
    expect(actorOfMember(given(memberDecider, [memberAdded(), memberRemoved]).state)).toBeNull();
    expect(actorOfMember(given(memberDecider).state)).toBeNull();
  });
});
