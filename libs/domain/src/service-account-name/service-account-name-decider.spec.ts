import { ORG } from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { serviceAccountNameDecider } from './service-account-name-decider';
import type {
  ServiceAccountNameCommand,
  ServiceAccountNameEvent,
} from './service-account-name-messages';

const name = 'ci-deployer';
const reserved = (accountId: string): ServiceAccountNameEvent => ({
  type: 'ServiceAccountNameReserved',
  data: { orgId: ORG, name, accountId },
});
const released = (accountId: string): ServiceAccountNameEvent => ({
  type: 'ServiceAccountNameReleased',
  data: { orgId: ORG, name, accountId },
});

function reserve(accountId: string, holderStillHoldsName = false): ServiceAccountNameCommand {
  return {
    type: 'ReserveServiceAccountName',
    data: { orgId: ORG, name, accountId, holderStillHoldsName },
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
      .when(reserve('sa_2', true))
      .thenThrows('SERVICE_ACCOUNT.NAME_TAKEN');
  });

  it('takes over a name whose holder was deleted or renamed', () => {
    given(serviceAccountNameDecider, [reserved('sa_1')])
      .when(reserve('sa_2', false))
      .then([reserved('sa_2')]);
  });

  it('is idempotent for the current holder', () => {
    given(serviceAccountNameDecider, [reserved('sa_1')])
      .when(reserve('sa_1', true))
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
