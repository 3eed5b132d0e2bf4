import { Logger, type INestMicroservice } from '@nestjs/common';
import type { NatsConnection } from 'nats';
import type { Registry } from 'prom-client';
import { startHealthServer, type HealthServer } from './health-server';
import { natsServerOf } from './nats-microservice';

/** Default for `SHUTDOWN_GRACE_MS`: how long a stopping service may take to finish its work. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export interface ShutdownOptions {
  /** `SHUTDOWN_GRACE_MS`: the process exits by then, finished or not. */
  graceMs: number;
}

export interface Shutdown {
  /**
   * `/healthz` and `/readyz` on `port` (nothing when null): ready while `ready()` holds and the
   * service is not draining. Closed last, after the app.
   */
  serveHealth(port: number | null, ready: () => boolean, metrics?: Registry): Promise<void>;
}

/**
 * Graceful shutdown for a NATS microservice, instead of Nest's shutdown hooks (which close the
 * NATS server connection at once, so handlers in flight cannot reply, while their appends may
 * still land). On SIGTERM or SIGINT, in order:
 *
 * 1. `/readyz` turns 503;
 * 2. the service leaves its queue groups: each request subscription is drained, so the server
 *    routes new requests to the other replicas, and what it had already sent is still handled;
 * 3. every request in flight finishes and its reply is flushed;
 * 4. the app closes (its shutdown hooks close the store and its connections), then the health
 *    server;
 * 5. the process exits 0 — or 1 when all this took longer than `graceMs`.
 *
 * For an app made by `createNatsMicroservice`, whose server counts the requests in flight.
 */
export function shutdownGracefully(app: INestMicroservice, options: ShutdownOptions): Shutdown {
  const server = natsServerOf(app);
  return stopOnSignal(
    {
      inFlight: () => server.inFlight.size(),
      drain: async () => {
        const subscriptions = server.requestSubscriptions();
        await Promise.all(subscriptions.map((subscription) => subscription.drain()));
        await server.inFlight.idle();
        await app.unwrap<NatsConnection>().flush();
      },
      close: () => app.close(),
    },
    options,
  );
}

/** How a service stops: what it finishes first, and what it closes after. */
export interface StopSteps {
  /** Requests being handled now, for the log line. */
  inFlight(): number;
  /** Leave the queue groups and finish (and reply to) everything already received. */
  drain(): Promise<void>;
  /** Close the app: its shutdown hooks close the store and the connections. */
  close(): Promise<void>;
}

/**
 * Steps 1 and 5 of `shutdownGracefully` around any service's own `drain` and `close` (the
 * auth-verifier answers on raw subscriptions, not through Nest's server): on SIGTERM or SIGINT,
 * `/readyz` turns 503, then `drain`, `close`, the health server closes, and the process exits 0
 * — or 1 when it took longer than `graceMs` or a step failed.
 */
export function stopOnSignal(steps: StopSteps, options: ShutdownOptions): Shutdown {
  const logger = new Logger('Shutdown');
  let draining = false;
  let health: HealthServer | undefined;
  const stop = async (signal: NodeJS.Signals) => {
    if (draining) return;
    draining = true;
    const started = Date.now();
    const deadline = setTimeout(() => {
      logger.error(`not stopped within ${options.graceMs} ms after ${signal}; exiting`);
      process.exit(1);
    }, options.graceMs);
    deadline.unref();
    logger.log(`${signal}: draining (${steps.inFlight()} requests in flight)`);
    try {
      await steps.drain();
      await steps.close();
      await health?.close();
      logger.log(`stopped in ${Date.now() - started} ms`);
      process.exit(0);
    } catch (error) {
      logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));
  return {
    serveHealth: async (port, ready, metrics) => {
      if (port === null) return;
      health = await startHealthServer(port, { ready: () => !draining && ready(), metrics });
    },
  };
}
