import type { Actor } from '../actor';
import {
  grant,
  keyIssued,
  keyRevoked,
  memberActor,
  NOW,
  ORG,
  orgAdmin,
  OTHER_ORG,
  serviceAccountActor,
} from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import {
  ACCOUNT,
  ACCOUNT_ID,
  accountCreated,
  deleteCommand,
} from '../testing/service-account-fixtures';
import type { ServiceAccountCommand } from './service-account-commands';
import type { ServiceAccountEvent } from './service-account-events';
import { serviceAccountDecider } from './service-account-decider';

const created = accountCreated('reader', ['db:a', 'db:b']);
const deleted: ServiceAccountEvent = {
  type: 'ServiceAccountDeleted',
  data: { orgId: ORG, accountId: ACCOUNT_ID, reason: 'no longer used' },
};

function update(
  actor: Actor,
  changes: { name?: string; description?: string },
): ServiceAccountCommand {
  return { type: 'UpdateServiceAccount', data: { actor, ...changes } };
}

describe('UpdateServiceAccount', () => {
  const account = given(serviceAccountDecider, [created]);

  it('records only the fields that change', () => {
    account.when(update(orgAdmin, { name: 'ci-release', description: 'deploys from CI' })).then([
      {
        type: 'ServiceAccountUpdated',
        data: { orgId: ORG, accountId: ACCOUNT_ID, name: 'ci-release' },
      },
    ]);
    account.when(update(orgAdmin, { description: 'publishes releases' })).then([
      {
        type: 'ServiceAccountUpdated',
        data: { orgId: ORG, accountId: ACCOUNT_ID, description: 'publishes releases' },
      },
    ]);
  });

  it('records nothing when nothing changes', () => {
    account.when(update(orgAdmin, { name: 'ci-deployer' })).then([]);
    account.when(update(orgAdmin, {})).then([]);
  });

  it('keeps role and resources: they are fixed at creation', () => {
    const renamed: ServiceAccountEvent = {
      type: 'ServiceAccountUpdated',
      data: { orgId: ORG, accountId: ACCOUNT_ID, name: 'ci-release' },
    };
    const { state } = given(serviceAccountDecider, [created, renamed]);
    expect(state).toMatchObject({
      type: 'Active',
      data: {
        name: 'ci-release',
        role: 'reader',
        permissions: ['read'],
        resources: ['db:a', 'db:b'],
      },
    });
  });

  it('refuses a deleted account, naming it', () => {
    const error = given(serviceAccountDecider, [created, deleted])
      .when(update(orgAdmin, { name: 'x' }))
      .thenThrows('SERVICE_ACCOUNT.DELETED');
    expect(error.message).toBe('service account sa_123 was deleted');
  });

  it('answers not found for a missing account', () => {
    given(serviceAccountDecider)
      .when(update(orgAdmin, { name: 'x' }))
      .thenThrows('SERVICE_ACCOUNT.NOT_FOUND');
  });

  it("answers not found to another organization's admin", () => {
    const outsider = memberActor('u_x', [grant('*', 'admin')], {
      orgAdmin: true,
      orgId: OTHER_ORG,
    });
    account.when(update(outsider, { name: 'x' })).thenThrows('SERVICE_ACCOUNT.NOT_FOUND');
  });
});

describe('who may manage a service account', () => {
  const account = given(serviceAccountDecider, [created]);
  const rename = (actor: Actor) => account.when(update(actor, { name: 'renamed' }));
  const renamed: ServiceAccountEvent = {
    type: 'ServiceAccountUpdated',
    data: { orgId: ORG, accountId: ACCOUNT_ID, name: 'renamed' },
  };

  it('an org admin, even without grants', () => {
    rename(memberActor('u_boss', [], { orgAdmin: true })).then([renamed]);
  });

  it('its creator, even without admin permissions', () => {
    rename(memberActor('u_creator')).then([renamed]);
  });

  it('a member with admin on every one of its resources', () => {
    rename(memberActor('u_dba', [grant('db:a', 'admin'), grant('db:b', 'admin')])).then([renamed]);
  });

  it('not a member with admin on only some of its resources', () => {
    const partial = memberActor('u_dba', [grant('db:a', 'admin'), grant('db:b', 'writer')]);
    rename(partial).thenThrows('AUTH.FORBIDDEN');
  });

  it('a service account whose admin role covers its resources', () => {
    rename(serviceAccountActor('sa_ops', 'admin', ['*'])).then([renamed]);
  });

  it('not a service account that created it but lacks admin in its role', () => {
    const creator = { kind: 'serviceAccount' as const, id: 'sa_maker' };
    given(serviceAccountDecider, [accountCreated('reader', ['db:a'], creator)])
      .when(update(serviceAccountActor('sa_maker', 'writer', ['db:a']), { name: 'renamed' }))
      .thenThrows('AUTH.FORBIDDEN');
  });
});

describe('DeleteServiceAccount', () => {
  it('revokes every live key and deletes the account in one result', () => {
    given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2', NOW - 1),
      keyIssued(ACCOUNT, 'key_3'),
      keyRevoked(ACCOUNT, 'key_3', 'manual'),
    ])
      .when(deleteCommand(orgAdmin))
      .then([
        keyRevoked(ACCOUNT, 'key_1', 'account_deleted'),
        keyRevoked(ACCOUNT, 'key_2', 'account_deleted'),
        deleted,
      ]);
  });

  it('just deletes an account without keys', () => {
    given(serviceAccountDecider, [created]).when(deleteCommand(orgAdmin)).then([deleted]);
  });

  it('refuses to delete twice', () => {
    given(serviceAccountDecider, [created, deleted])
      .when(deleteCommand(orgAdmin))
      .thenThrows('SERVICE_ACCOUNT.DELETED');
  });

  it('is refused to a member who may not manage the account', () => {
    given(serviceAccountDecider, [created])
      .when(deleteCommand(memberActor('u_reader', [grant('*', 'writer')])))
      .thenThrows('AUTH.FORBIDDEN');
  });

  it('marks the account deleted but keeps it for the record', () => {
    const { state } = given(serviceAccountDecider, [created, deleted]);
    expect(state).toMatchObject({ type: 'Deleted', data: { accountId: ACCOUNT_ID } });
  });
});
