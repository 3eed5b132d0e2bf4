import type { KeywardEvent } from './events/keyward-event';
import { keyAt, type HistoryEvent } from './key-at';

const ORG = 'acme';
const SA = { kind: 'serviceAccount' as const, id: 'sa_1' };
const T0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const min = (n: number) => T0 + n * 60_000;

/** A stream as the store hands it back: events in order, each with its time and position. */
function stream(...events: [number, KeywardEvent][]): HistoryEvent[] {
  return events.map(([occurredAt, event], i) => ({
    event,
    occurredAt,
    eventId: `ev-${i + 1}`,
    position: BigInt((i + 1) * 10),
  }));
}

const created: KeywardEvent = {
  type: 'ServiceAccountCreated',
  data: {
    orgId: ORG,
    accountId: 'sa_1',
    name: 'etl',
    description: '',
    role: 'writer',
    permissions: ['read', 'execute', 'write', 'delete'],
    resources: ['db:analytics'],
    enableBasicAuth: false,
    createdBy: { kind: 'member', id: 'root' },
  },
};
const issued = (keyId: string, expiresAt: number | null = null): KeywardEvent => ({
  type: 'KeyIssued',
  data: {
    orgId: ORG,
    keyId,
    owner: SA,
    name: keyId,
    description: '',
    keyHash: 'h',
    hint: 'kw_live_…',
    expiresAt,
  },
});
const rotated = (keyId: string, successorKeyId: string, expiresAt: number): KeywardEvent => ({
  type: 'KeyRotated',
  data: { orgId: ORG, keyId, owner: SA, successorKeyId, expiresAt },
});
const revoked = (keyId: string, reason: 'manual' | 'account_deleted'): KeywardEvent => ({
  type: 'KeyRevoked',
  data: { orgId: ORG, keyId, owner: SA, reason },
});
const deleted: KeywardEvent = {
  type: 'ServiceAccountDeleted',
  data: { orgId: ORG, accountId: 'sa_1', reason: 'done' },
};

// Issue A at 1, rotate A → B at 10 with a 30 min grace, delete the account at 60 (which revokes B).
const history = stream(
  [min(0), created],
  [min(1), issued('key_a')],
  [min(10), issued('key_b')],
  [min(10), rotated('key_a', 'key_b', min(40))],
  [min(60), deleted],
  [min(60), revoked('key_b', 'account_deleted')],
);

describe('keyAt (rule 12: was this key valid at T, and why)', () => {
  it('is null for a key the stream never issued', () => {
    expect(keyAt(history, 'key_x', min(5))).toBeNull();
  });

  it('before its issue: not valid, not issued yet, decided by nothing yet', () => {
    expect(keyAt(history, 'key_b', min(5))).toMatchObject({
      valid: false,
      reason: 'not_issued_yet',
      decidedBy: null,
    });
  });

  it('after its issue: valid, for its owner, role, permissions and resources, decided by KeyIssued', () => {
    const at = keyAt(history, 'key_a', min(5))!;
    expect(at).toMatchObject({
      valid: true,
      reason: null,
      owner: SA,
      role: 'writer',
      permissions: ['read', 'execute', 'write', 'delete'],
      resources: ['db:analytics'],
      grants: null,
      expiresAt: null,
      successorKeyId: null,
    });
    expect(at.decidedBy?.eventId).toBe('ev-2');
  });

  it('during the grace of a rotation: still valid, with its new expiry and successor, decided by KeyRotated', () => {
    const at = keyAt(history, 'key_a', min(20))!;
    expect(at).toMatchObject({ valid: true, expiresAt: min(40), successorKeyId: 'key_b' });
    expect(at.decidedBy?.event.type).toBe('KeyRotated');
    expect(keyAt(history, 'key_b', min(20))).toMatchObject({ valid: true, reason: null });
  });

  it('from the first millisecond of its expiry: expired, decided by the event that set the expiry', () => {
    expect(keyAt(history, 'key_a', min(40) - 1)).toMatchObject({ valid: true });
    const at = keyAt(history, 'key_a', min(40))!;
    expect(at).toMatchObject({ valid: false, reason: 'expired' });
    expect(at.decidedBy?.event.type).toBe('KeyRotated');
  });

  it('after its revocation: revoked, with the recorded reason, decided by KeyRevoked', () => {
    expect(keyAt(history, 'key_b', min(60) - 1)).toMatchObject({ valid: true });
    const at = keyAt(history, 'key_b', min(60))!;
    expect(at).toMatchObject({
      valid: false,
      reason: 'revoked',
      revocationReason: 'account_deleted',
    });
    expect(at.decidedBy?.eventId).toBe('ev-6');
  });

  it('a member key: permissions and resources from the grants then, and not valid once the member is removed', () => {
    const member = { kind: 'member' as const, id: 'dana' };
    const grants = (role: string, permissions: ('read' | 'write')[]) => [
      { resource: 'db:a', role, permissions },
    ];
    const events = stream(
      [
        min(0),
        {
          type: 'MemberAdded',
          data: {
            orgId: ORG,
            userId: 'dana',
            displayName: 'Dana',
            orgRole: 'member',
            grants: grants('reader', ['read']),
          },
        },
      ],
      [
        min(1),
        {
          type: 'KeyIssued',
          data: {
            orgId: ORG,
            keyId: 'key_m',
            owner: member,
            name: '',
            description: '',
            keyHash: 'h',
            hint: 'x',
            expiresAt: null,
          },
        },
      ],
      [
        min(5),
        {
          type: 'MemberGrantsChanged',
          data: {
            orgId: ORG,
            userId: 'dana',
            orgRole: 'member',
            grants: grants('writer', ['read', 'write']),
          },
        },
      ],
      [min(9), { type: 'MemberRemoved', data: { orgId: ORG, userId: 'dana', reason: 'left' } }],
    );
    expect(keyAt(events, 'key_m', min(2))).toMatchObject({
      valid: true,
      role: null,
      permissions: ['read'],
      resources: ['db:a'],
    });
    const later = keyAt(events, 'key_m', min(6))!;
    expect(later).toMatchObject({ valid: true, permissions: ['read', 'write'] });
    expect(later.decidedBy?.event.type).toBe('MemberGrantsChanged');
    expect(keyAt(events, 'key_m', min(9))).toMatchObject({
      valid: false,
      reason: 'member_removed',
    });
  });

  it('an expiry set at issue counts from its first millisecond as well', () => {
    const events = stream([min(0), created], [min(1), issued('key_e', min(3))]);
    expect(keyAt(events, 'key_e', min(3) - 1)).toMatchObject({ valid: true, expiresAt: min(3) });
    expect(keyAt(events, 'key_e', min(3))).toMatchObject({ valid: false, reason: 'expired' });
  });
});
