import { ServerNats } from '@nestjs/microservices';
import type { Msg, Subscription } from 'nats';
import { InFlight } from './in-flight';

/**
 * Nest's NATS server, counting the requests it is handling so that a stopping service can wait
 * for them (`shutdownGracefully`).
 *
 * Counted here rather than in a Nest interceptor: with any interceptor at all, Nest binds two
 * `AsyncResource`s per request, and on Node 20 each bind defines deprecated accessors — 6 % of a
 * projector's CPU under a query load.
 */
export class KeywardNatsServer extends ServerNats {
  /** Requests received and not answered yet. */
  readonly inFlight = new InFlight();

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    this.inFlight.begin();
    try {
      return await super.handleMessage(channel, natsMsg);
    } finally {
      // Nest publishes the reply on a later tick (process.nextTick after the handler settled):
      // a request counts as done only after the turn of the event loop in which it completed.
      setImmediate(() => this.inFlight.end());
    }
  }

  /** The open subscriptions made for the service's patterns (Nest keeps them private). */
  requestSubscriptions(): Subscription[] {
    const all = (this as unknown as { subscriptions?: Subscription[] }).subscriptions ?? [];
    return all.filter((subscription) => !subscription.isClosed());
  }
}
