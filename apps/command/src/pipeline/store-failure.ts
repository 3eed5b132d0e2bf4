import { ErrorCode, type NatsError } from 'nats';
import { StoreUnavailableError } from '@keyward/event-store';
import { AppError } from '@keyward/transport';

/** NATS failures that mean "no answer from the store": nothing is known to be wrong with the request. */
const NO_ANSWER = new Set<string>([
  ErrorCode.Timeout,
  ErrorCode.NoResponders,
  ErrorCode.Disconnect,
  ErrorCode.ConnectionClosed,
  ErrorCode.ConnectionDraining,
  ErrorCode.ConnectionRefused,
]);

/**
 * A command whose store read or append got no answer (a NATS node lost, a stream leader being
 * elected, an outage) fails as `SERVICE.UNAVAILABLE`, which callers may retry, rather than as an
 * internal error. Whether an append that timed out was stored is unknown; a retry with the same
 * `Idempotency-Key` is answered from the first attempt if it was.
 */
export function storeFailure(error: unknown): unknown {
  const noAnswer =
    error instanceof StoreUnavailableError ||
    NO_ANSWER.has((error as NatsError | null)?.code ?? '');
  if (!noAnswer) return error;
  return new AppError(
    'SERVICE.UNAVAILABLE',
    'unavailable',
    `the event store did not answer (${(error as Error).message}); retry`,
  );
}
