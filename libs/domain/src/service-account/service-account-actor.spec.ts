import { ORG } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { ACCOUNT_ID, accountCreated } from '../testing/service-account-fixtures';
import { actorOfServiceAccount } from './service-account-actor';
import { serviceAccountDecider } from './service-account-decider';

describe('actorOfServiceAccount', () => {
  it('acts with its one role on each of its resources, never as org admin', () => {
    const { state } = given(serviceAccountDecider, [accountCreated('executor', ['db:a', 'db:b'])]);
    expect(actorOfServiceAccount(state)).toEqual({
      kind: 'serviceAccount',
      id: ACCOUNT_ID,
      orgId: ORG,
      orgAdmin: false,
      grants: [
        { resource: 'db:a', permissions: ['read', 'execute'] },
        { resource: 'db:b', permissions: ['read', 'execute'] },
      ],
    });
  });

  it('is null for a deleted or unknown account', () => {
    const deleted = {
      type: 'ServiceAccountDeleted' as const,
      data: { orgId: ORG, accountId: ACCOUNT_ID, reason: 'gone' },
    };
    expect(
      actorOfServiceAccount(given(serviceAccountDecider, [accountCreated(), deleted]).state),
    ).toBeNull();
    expect(actorOfServiceAccount(given(serviceAccountDecider).state)).toBeNull();
  });
});
