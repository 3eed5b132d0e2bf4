import { NatsError } from 'nats';
import { StoreUnavailableError } from '@keyward/event-store';
import { AppError } from '@keyward/transport';
import { storeFailure } from './store-failure';

describe('storeFailure', () => {
  it.each([
    ['a NATS timeout', NatsError.errorForCode('TIMEOUT')],
    ['no responders', NatsError.errorForCode('503')],
    ['a closed connection', NatsError.errorForCode('CONNECTION_CLOSED')],
    ['an abandoned read', new StoreUnavailableError('reading s took longer than 5000 ms')],
  ])('answers %s as SERVICE.UNAVAILABLE, to retry', (_, error) => {
    const failure = storeFailure(error) as AppError;
    expect(failure).toBeInstanceOf(AppError);
    expect(failure.code).toBe('SERVICE.UNAVAILABLE');
    expect(failure.message).toMatch(/the event store did not answer .*; retry$/);
  });

  it('leaves any other failure as it is', () => {
    const bug = new TypeError('x is undefined');
    expect(storeFailure(bug)).toBe(bug);
  });
});
