import { IdempotencyLedger } from './idempotency-ledger';

const used = (idempotencyKey: string, requestFingerprint: string) => ({
  metadata: { idempotencyKey, requestFingerprint },
});

describe('IdempotencyLedger', () => {
  it('accepts the request a key was first used with, and refuses any other', () => {
    const ledger = new IdempotencyLedger();
    ledger.observe(used('org:k', 'first'));
    ledger.observe(used('org:k', 'second')); // a later event of the same key changes nothing
    expect(() =>
      ledger.check({ idempotencyKey: 'org:k', requestFingerprint: 'first' }),
    ).not.toThrow();
    expect(() => ledger.check({ idempotencyKey: 'org:k', requestFingerprint: 'second' })).toThrow(
      expect.objectContaining({ code: 'IDEMPOTENCY.KEY_REUSED', kind: 'conflict' }),
    );
  });

  it('knows nothing of keys it has not seen, nor of requests without a key', () => {
    const ledger = new IdempotencyLedger();
    ledger.observe({ metadata: { commandType: 'IssueKey' } });
    expect(() =>
      ledger.check({ idempotencyKey: 'org:new', requestFingerprint: 'x' }),
    ).not.toThrow();
    expect(() => ledger.check({})).not.toThrow();
  });
});
