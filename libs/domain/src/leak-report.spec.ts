import { memberLeakDecider, serviceAccountLeakDecider, type RevokeLeakedKeys } from './leak-report';
import { HOUR, keyIssued, keyRevoked, NOW } from './testing/fixtures';
import { given } from './testing/given-when-then';
import { ALICE, memberAdded, memberRemoved } from './testing/member-fixtures';
import { ACCOUNT, accountCreated } from './testing/service-account-fixtures';
import type { ServiceAccountEvent } from './service-account/service-account-events';

const report = (...keyIds: string[]): RevokeLeakedKeys => ({
  type: 'RevokeLeakedKeys',
  data: { keyIds, now: NOW },
});

const account = given(serviceAccountLeakDecider, [
  accountCreated(),
  keyIssued(ACCOUNT, 'key_active'),
  keyIssued(ACCOUNT, 'key_other'),
  keyIssued(ACCOUNT, 'key_revoked'),
  keyRevoked(ACCOUNT, 'key_revoked', 'manual'),
  keyIssued(ACCOUNT, 'key_expired', NOW - HOUR),
  keyIssued(ACCOUNT, 'key_expires_now', NOW),
]);

describe('leak reports (docs/product-rules.md rule 11)', () => {
  it('revokes each reported active key with reason leaked, once, and nothing else', () => {
    account
      .when(report('key_active', 'key_active'))
      .then([keyRevoked(ACCOUNT, 'key_active', 'leaked')]);
  });

  it('records nothing for a key already revoked or expired, or one the stream does not hold', () => {
    account.when(report('key_revoked', 'key_expired', 'key_expires_now', 'key_unknown')).then([]);
  });

  it('revokes several keys of one owner in one decision', () => {
    account
      .when(report('key_other', 'key_revoked', 'key_active'))
      .then([
        keyRevoked(ACCOUNT, 'key_other', 'leaked'),
        keyRevoked(ACCOUNT, 'key_active', 'leaked'),
      ]);
  });

  it("records nothing on a deleted account's stream (its keys died with it) or a missing one", () => {
    const deleted: ServiceAccountEvent = {
      type: 'ServiceAccountDeleted',
      data: { orgId: 'org_1', accountId: ACCOUNT.id, reason: 'gone' },
    };
    given(serviceAccountLeakDecider, [accountCreated(), keyIssued(ACCOUNT, 'key_a'), deleted])
      .when(report('key_a'))
      .then([]);
    given(serviceAccountLeakDecider, []).when(report('key_a')).then([]);
  });

  it("revokes a member's personal key, and nothing of a removed member", () => {
    const member = [memberAdded(), keyIssued(ALICE, 'key_p')];
    given(memberLeakDecider, member)
      .when(report('key_p'))
      .then([keyRevoked(ALICE, 'key_p', 'leaked')]);
    given(memberLeakDecider, [...member, memberRemoved])
      .when(report('key_p'))
      .then([]);
  });
});
