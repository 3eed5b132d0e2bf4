import { ServerNats, type NatsContext } from '@nestjs/microservices';
import type { Msg, Subscription } from 'nats';
import { InFlight } from './in-flight';
import type { AnswerPacket, NatsRequestLog, RequestRecord } from './observability/nats-request-log';

type Publish = (packet: AnswerPacket) => unknown;

/**
 * Nest's NATS server, counting the requests it is handling so that a stopping service can wait
 * for them (`shutdownGracefully`), and logging and timing each one once it is answered
 * (`NatsRequestLog`).
 *
 * Done here rather than in a Nest interceptor: with any interceptor at all, Nest binds two
 * `AsyncResource`s per request, and on Node 20 each bind defines deprecated accessors — 6 % of a
 * projector's CPU under a query load.
 */
export class KeywardNatsServer extends ServerNats {
  /** Requests received and not answered yet. */
  readonly inFlight = new InFlight();
  /** Set by `createNatsMicroservice` before the server listens. */
  requestLog?: NatsRequestLog;
  private readonly recordOf = new WeakMap<Msg, RequestRecord>();
  /** Nest's route name of each subject this server subscribed to (see `getRouteFromPattern`). */
  private readonly routes = new Map<string, string>();

  /**
   * Nest's route for a message's pattern, remembered: Nest first tries `JSON.parse` on the
   * pattern of every message, which throws for a plain NATS subject — the exception cost 3.8 %
   * of a projector's CPU under a query load. The channel is always one of the patterns the
   * server subscribed to (its handlers'), a fixed set; anything else is not remembered.
   */
  protected override getRouteFromPattern(pattern: string): string {
    let route = this.routes.get(pattern);
    if (route === undefined) {
      route = super.getRouteFromPattern(pattern);
      if (this.messageHandlers.has(route)) this.routes.set(pattern, route);
    }
    return route;
  }

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    this.inFlight.begin();
    if (this.requestLog) this.recordOf.set(natsMsg, this.requestLog.begin(natsMsg));
    try {
      return await super.handleMessage(channel, natsMsg);
    } finally {
      // Nest publishes the reply on a later tick (process.nextTick after the handler settled):
      // a request counts as done only after the turn of the event loop in which it completed.
      setImmediate(() => this.inFlight.end());
    }
  }

  /** Nest's publisher of the reply, logging the request when its answer goes out. */
  override getPublisher(natsMsg: Msg, id: string, ctx: NatsContext): Publish {
    const publish = super.getPublisher(natsMsg, id, ctx) as Publish;
    const record = this.recordOf.get(natsMsg);
    const log = this.requestLog;
    if (!record || !log) return publish;
    let logged = false;
    return (packet) => {
      const sent = publish(packet);
      if (!logged) {
        logged = true;
        log.end(record, packet);
      }
      return sent;
    };
  }

  /** The open subscriptions made for the service's patterns (Nest keeps them private). */
  requestSubscriptions(): Subscription[] {
    const all = (this as unknown as { subscriptions?: Subscription[] }).subscriptions ?? [];
    return all.filter((subscription) => !subscription.isClosed());
  }
}
