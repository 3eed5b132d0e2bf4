import { StoreUnavailableError } from '../errors';
import { within } from './within-deadline';

describe('within', () => {
  it('gives up on work that never settles, as unavailable', async () => {
    const started = Date.now();
    const never = new Promise<number>(() => undefined);
    await expect(within(50, 'reading s-1', never)).rejects.toEqual(
      new StoreUnavailableError('reading s-1 took longer than 50 ms'),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('passes on what the work settles with in time', async () => {
    await expect(within(1000, 'x', Promise.resolve(7))).resolves.toBe(7);
    await expect(within(1000, 'x', Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
  });

  it('ignores a failure of work it gave up on (no unhandled rejection)', async () => {
    let fail!: (error: Error) => void;
    const late = new Promise<number>((_, reject) => (fail = reject));
    await expect(within(10, 'x', late)).rejects.toBeInstanceOf(StoreUnavailableError);
    fail(new Error('too late'));
    await new Promise((resolve) => setImmediate(resolve));
  });
});
