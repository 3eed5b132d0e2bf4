import { ERROR_CODES, errorKindOf } from './error-codes';

describe('error codes', () => {
  it('each map to one transport kind', () => {
    const kinds = new Set(Object.values(ERROR_CODES));
    expect(
      [...kinds].every((kind) => ['invalid', 'forbidden', 'not_found', 'conflict'].includes(kind)),
    ).toBe(true);
    expect(errorKindOf('AUTH.LEAST_PRIVILEGE')).toBe('forbidden');
    expect(errorKindOf('SERVICE_ACCOUNT.DELETED')).toBe('conflict');
    expect(errorKindOf('MEMBER.REMOVED')).toBe('not_found');
  });
});
