import { ORG } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { PENDING_CREATE_GRACE_MS, serviceAccountNameDecider } from './service-account-name-decider';
import type {
  NameHolderStatus,
  ServiceAccountNameCommand,
  ServiceAccountNameEvent,
} from './service-account-name-messages';

const name = 'ci-deployer';
const T0 = 1_800_000_000_000;
const reserved = (accountId: string, reservedAt = T0): ServiceAccountNameEvent => ({
  type: 'ServiceAccountNameReserved',
  data: { orgId: ORG, name, accountId, reservedAt },
});
const released = (accountId: string): ServiceAccountNameEvent => ({
  type: 'ServiceAccountNameReleased',
  data: { orgId: ORG, name, accountId },
});

function reserve(
  accountId: string,
  holder: NameHolderStatus = 'moved-on',
  now = T0,
): ServiceAccountNameCommand {
  return {
    type: 'ReserveServiceAccountName',
    data: { orgId: ORG, name, accountId, holder, now },
  };
}

function release(accountId: string): ServiceAccountNameCommand {
  return { type: 'ReleaseServiceAccountName', data: { orgId: ORG, name, accountId } };
}

describe('ReserveServiceAccountName', () => {
  it('reserves a free name', () => {
    given(serviceAccountNameDecider)
      .when(reserve('sa_1'))
      .then([reserved('sa_1')]);
  });

  it('reserves a released name', () => {
    given(serviceAccountNameDecider, [reserved('sa_1'), released('sa_1')])
      .when(reserve('sa_2'))
      .then([reserved('sa_2')]);
  });

  it('refuses a name another active account still holds', () => {
    given(serviceAccountNameDecider, [reserved('sa_1')])
      .when(reserve('sa_2', 'holds-name'))
      .thenThrows('SERVICE_ACCOUNT.NAME_TAKEN');
  });

  it('takes over a name whose holder was deleted or renamed', () => {
    given(serviceAccountNameDecider, [reserved('sa_1')])
      .when(reserve('sa_2', 'moved-on'))
      .then([reserved('sa_2')]);
  });

  it('refuses a name reserved moments ago by an account still being created', () => {
    given(serviceAccountNameDecider, [reserved('sa_1', T0)])
      .when(reserve('sa_2', 'not-created', T0 + PENDING_CREATE_GRACE_MS - 1))
      .thenThrows('SERVICE_ACCOUNT.NAME_TAKEN');
  });

  it('takes over a reservation whose account was never created, once the grace period is over', () => {
    given(serviceAccountNameDecider, [reserved('sa_1', T0)])
      .when(reserve('sa_2', 'not-created', T0 + PENDING_CREATE_GRACE_MS))
      .then([reserved('sa_2', T0 + PENDING_CREATE_GRACE_MS)]);
  });

  it('is idempotent for the current holder', () => {
    given(serviceAccountNameDecider, [reserved('sa_1')])
      .when(reserve('sa_1', 'holds-name'))
      .then([]);
  });
});

describe('ReleaseServiceAccountName', () => {
  it('releases the name for its holder', () => {
    given(serviceAccountNameDecider, [reserved('sa_1')])
      .when(release('sa_1'))
      .then([released('sa_1')]);
  });

  it('ignores a release by anyone but the holder', () => {
    given(serviceAccountNameDecider, [reserved('sa_1'), reserved('sa_2')])
      .when(release('sa_1'))
      .then([]);
    given(serviceAccountNameDecider).when(release('sa_1')).then([]);
  });
});
