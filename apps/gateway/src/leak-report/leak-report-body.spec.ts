import { generateApiKey } from '@keyward/keys';
import { EdgeError } from '../http/edge-error';
import { sortLeakReport } from './leak-report-body';

const keys = (n: number) => Array.from({ length: n }, () => generateApiKey().secret);

function refusal(body: unknown): EdgeError {
  try {
    sortLeakReport(body);
  } catch (error) {
    if (error instanceof EdgeError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('sortLeakReport (POST /api/key/v1/leaked)', () => {
  it('takes a bare array (SPEC) or {keys}, and passes on the well-formed keys', () => {
    const found = keys(3);
    expect(sortLeakReport(found)).toEqual({ received: 3, malformed: 0, keys: found });
    expect(sortLeakReport({ keys: found })).toEqual({ received: 3, malformed: 0, keys: found });
    expect(sortLeakReport([])).toEqual({ received: 0, malformed: 0, keys: [] });
  });

  it('counts malformed values (bad prefix, length, checksum, not a string) and never keeps them', () => {
    const [good] = keys(1);
    const badChecksum = good.slice(0, -1) + (good.endsWith('a') ? 'b' : 'a');
    const values = [
      good,
      badChecksum,
      'kw_live_short',
      'ghp_abc',
      '',
      42,
      null,
      { k: good },
      [good],
    ];
    const sorted = sortLeakReport(values);
    expect(sorted).toEqual({ received: 9, malformed: 8, keys: [good] });
    expect(JSON.stringify(sorted)).not.toContain('ghp_abc');
  });

  it('takes 1,000 values and refuses 1,001 with VALIDATION.FAILED on keys', () => {
    expect(sortLeakReport(Array(1000).fill('x')).received).toBe(1000);
    const error = refusal(Array(1001).fill('x'));
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({
      code: 'VALIDATION.FAILED',
      details: [{ field: 'keys', problem: 'at most 1000 values per report, got 1001' }],
    });
  });

  it.each([
    ['no body', undefined],
    ['null', null],
    ['a string', 'kw_live_x'],
    ['a number', 7],
    ['an object without keys', {}],
    ['keys that is not an array', { keys: 'kw_live_x' }],
    ['another field', { keys: [], token: 'x' }],
  ])('refuses %s with VALIDATION.FAILED naming keys, without echoing a value', (_case, body) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.body.code).toBe('VALIDATION.FAILED');
    expect(error.body.details?.[0].field).toBe('keys');
    expect(error.message).not.toContain('kw_live_x');
  });
});
