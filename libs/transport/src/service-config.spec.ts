import { serviceConfigFrom } from './service-config';

describe('serviceConfigFrom: SHUTDOWN_GRACE_MS', () => {
  it('defaults to 10 s and reads a whole number of milliseconds', () => {
    expect(serviceConfigFrom({}).shutdownGraceMs).toBe(10_000);
    expect(serviceConfigFrom({ SHUTDOWN_GRACE_MS: '2500' }).shutdownGraceMs).toBe(2500);
  });

  it.each(['0', '-1', '2s', '1.5', '600001'])('refuses %s at start, naming the variable', (raw) => {
    expect(() => serviceConfigFrom({ SHUTDOWN_GRACE_MS: raw })).toThrow(
      `SHUTDOWN_GRACE_MS must be a whole number from 1 to 600000; got "${raw}"`,
    );
  });
});
