import { ServerNats } from '@nestjs/microservices';
import { KeywardNatsServer } from './keyward-nats-server';

/** Nest's server and ours, with the protected route lookup reachable from the test. */
class NestServer extends ServerNats {
  route(pattern: string): string {
    return this.getRouteFromPattern(pattern);
  }
}
class OurServer extends KeywardNatsServer {
  route(pattern: string): string {
    return this.getRouteFromPattern(pattern);
  }
}

describe('KeywardNatsServer routes', () => {
  const patterns = ['svc.query.get-account', 'svc.cmd.issue', '{"cmd":"sum"}', 'svc.*.x'];

  it('gives every pattern the route Nest gives it, the first time and again', () => {
    const nest = new NestServer({});
    const ours = new OurServer({});
    ours.addHandler('svc.query.get-account', () => Promise.resolve(null));
    for (const pattern of [...patterns, ...patterns]) {
      expect(ours.route(pattern)).toBe(nest.route(pattern));
    }
  });

  it('answers a handler pattern from memory, without parsing it again', () => {
    const ours = new OurServer({});
    ours.addHandler('svc.query.get-account', () => Promise.resolve(null));
    const parse = jest.spyOn(JSON, 'parse');
    try {
      ours.route('svc.query.get-account');
      ours.route('svc.query.get-account');
      ours.route('svc.unknown');
      ours.route('svc.unknown');
      expect(parse.mock.calls.map(([text]) => text)).toEqual([
        'svc.query.get-account',
        'svc.unknown',
        'svc.unknown',
      ]);
    } finally {
      parse.mockRestore();
    }
  });
});
