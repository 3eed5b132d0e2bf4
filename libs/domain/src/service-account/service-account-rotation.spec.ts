import type { KeyPolicy } from '../key-events';
import { DEFAULT_ROTATION_GRACE_SECONDS } from '../key-events';
import {
  HOUR,
  keyIssued,
  keyRevoked,
  keyRotated,
  memberActor,
  NOW,
  orgAdmin,
  OTHER_ORG,
  rotateKeyCommand,
} from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import { ACCOUNT, accountCreated } from '../testing/service-account-fixtures';
import type { ServiceAccountEvent } from './service-account-events';
import { serviceAccountDecider } from './service-account-decider';

const created = accountCreated();
const deleted: ServiceAccountEvent = {
  type: 'ServiceAccountDeleted',
  data: { orgId: 'org_1', accountId: ACCOUNT.id, reason: 'gone' },
};
const withKey = given(serviceAccountDecider, [created, keyIssued(ACCOUNT, 'key_1')]);
const policyOf = (max: number, lifetime: number | null = null): KeyPolicy => ({
  maxActiveKeysPerPrincipal: max,
  maxKeyLifetimeSeconds: lifetime,
});
const DAY = 24 * HOUR;

describe('RotateKey for a service account (docs/product-rules.md rule 10)', () => {
  it('issues the successor and ends the old key after the grace, in one decision', () => {
    withKey
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2'))
      .then([keyIssued(ACCOUNT, 'key_2'), keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + DAY)]);
  });

  it('defaults to a grace of 24 hours', () => {
    expect(DEFAULT_ROTATION_GRACE_SECONDS).toBe(86_400);
  });

  it('accepts a grace of 0: the old key stops at once', () => {
    const scenario = given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
      keyRotated(ACCOUNT, 'key_1', 'key_2', NOW),
    ]);
    withKey
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2', { graceSeconds: 0 }))
      .then([keyIssued(ACCOUNT, 'key_2'), keyRotated(ACCOUNT, 'key_1', 'key_2', NOW)]);
    // Expired from the first millisecond: rotating it again is refused as expired.
    scenario
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_3', { now: NOW }))
      .thenThrows('KEY.EXPIRED');
  });

  it('refuses a negative or fractional grace', () => {
    withKey
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2', { graceSeconds: -1 }))
      .thenThrows('KEY.INVALID_GRACE');
    withKey
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2', { graceSeconds: 1.5 }))
      .thenThrows('KEY.INVALID_GRACE');
  });

  it('caps the grace at the organization maximum key lifetime', () => {
    withKey
      .when(
        rotateKeyCommand(orgAdmin, 'key_1', 'key_2', {
          graceSeconds: 7 * 86_400,
          policy: policyOf(100, 3600),
        }),
      )
      .then([
        keyIssued(ACCOUNT, 'key_2', NOW + HOUR),
        keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + HOUR),
      ]);
  });

  it('never lengthens the old key: the grace ends at its current expiry at the latest', () => {
    given(serviceAccountDecider, [created, keyIssued(ACCOUNT, 'key_1', NOW + HOUR)])
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2'))
      .then([keyIssued(ACCOUNT, 'key_2'), keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + HOUR)]);
  });

  it('gives the successor the expiry rules of issuing a key', () => {
    withKey
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2', { expiresAt: NOW }))
      .thenThrows('KEY.EXPIRY_IN_PAST');
    withKey
      .when(
        rotateKeyCommand(orgAdmin, 'key_1', 'key_2', {
          expiresAt: NOW + HOUR + 1,
          policy: policyOf(100, 3600),
        }),
      )
      .thenThrows('KEY.LIFETIME_EXCEEDS_POLICY');
    withKey
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2', { expiresAt: NOW + 2 * DAY }))
      .then([
        keyIssued(ACCOUNT, 'key_2', NOW + 2 * DAY),
        keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + DAY),
      ]);
  });

  it('refuses an unknown key, and another account key answers the same', () => {
    withKey.when(rotateKeyCommand(orgAdmin, 'key_9', 'key_2')).thenThrows('KEY.NOT_FOUND');
  });

  it('refuses a revoked key', () => {
    const error = given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyRevoked(ACCOUNT, 'key_1', 'leaked'),
    ])
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2'))
      .thenThrows('KEY.REVOKED');
    expect(error.details).toEqual({ reason: 'leaked' });
  });

  it('refuses an expired key, one expiring right now included', () => {
    given(serviceAccountDecider, [created, keyIssued(ACCOUNT, 'key_1', NOW)])
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2'))
      .thenThrows('KEY.EXPIRED');
  });

  it('refuses a key already rotated: a key has one successor', () => {
    const error = given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
      keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + HOUR),
    ])
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_3'))
      .thenThrows('KEY.ALREADY_ROTATED');
    expect(error.details).toEqual({ successorKeyId: 'key_2' });
  });

  it('refuses a successor id already used in the stream', () => {
    given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
    ])
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2'))
      .thenThrows('KEY.ALREADY_EXISTS');
  });

  it('does not count the key being rotated against the cap, but counts every other active key', () => {
    withKey
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2', { policy: policyOf(1) }))
      .then([keyIssued(ACCOUNT, 'key_2'), keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + DAY)]);
    given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
    ])
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_3', { policy: policyOf(2) }))
      .then([keyIssued(ACCOUNT, 'key_3'), keyRotated(ACCOUNT, 'key_1', 'key_3', NOW + DAY)]);
    // A key still in the grace of an earlier rotation counts.
    const inGrace = given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
      keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + HOUR),
    ]);
    const error = inGrace
      .when(rotateKeyCommand(orgAdmin, 'key_2', 'key_3', { policy: policyOf(1) }))
      .thenThrows('KEY.LIMIT_REACHED');
    expect(error.details).toEqual({ limit: 1 });
    // Once that grace is over, the same rotation fits.
    inGrace
      .when(rotateKeyCommand(orgAdmin, 'key_2', 'key_3', { policy: policyOf(1), now: NOW + HOUR }))
      .then([keyIssued(ACCOUNT, 'key_3'), keyRotated(ACCOUNT, 'key_2', 'key_3', NOW + HOUR + DAY)]);
  });

  it('refuses a deleted account, a missing one and another organization', () => {
    given(serviceAccountDecider, [created, keyIssued(ACCOUNT, 'key_1'), deleted])
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2'))
      .thenThrows('SERVICE_ACCOUNT.DELETED');
    given(serviceAccountDecider)
      .when(rotateKeyCommand(orgAdmin, 'key_1', 'key_2'))
      .thenThrows('SERVICE_ACCOUNT.NOT_FOUND');
    const outsider = memberActor('u_x', [], { orgAdmin: true, orgId: OTHER_ORG });
    withKey
      .when(rotateKeyCommand(outsider, 'key_1', 'key_2'))
      .thenThrows('SERVICE_ACCOUNT.NOT_FOUND');
  });

  it('is refused to a member who may not manage the account', () => {
    withKey
      .when(rotateKeyCommand(memberActor('u_someone'), 'key_1', 'key_2'))
      .thenThrows('AUTH.FORBIDDEN');
  });

  it('folds the link and the new expiry into the key ring', () => {
    const state = given(serviceAccountDecider, [
      created,
      keyIssued(ACCOUNT, 'key_1'),
      keyIssued(ACCOUNT, 'key_2'),
      keyRotated(ACCOUNT, 'key_1', 'key_2', NOW + HOUR),
    ]).state;
    if (state.type !== 'Active') throw new Error('expected an active account');
    expect(state.data.keys.get('key_1')).toMatchObject({
      expiresAt: NOW + HOUR,
      successorKeyId: 'key_2',
    });
    expect(state.data.keys.get('key_2')).toMatchObject({ expiresAt: null, successorKeyId: null });
  });
});
