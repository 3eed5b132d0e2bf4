import type { RecordedEvent } from '@keyward/event-store';
import { AppError } from '@keyward/transport';
import type { CommandContext, EventMetadata } from './command-context';

/**
 * Every Idempotency-Key this service has seen in the store, with the fingerprint of the request
 * it was first used with. A stream's own history can only say whether a key was used on that
 * stream; the ledger catches a key reused on another stream, subject or caller.
 */
export class IdempotencyLedger {
  private readonly fingerprints = new Map<string, string>();

  /** Fed with every event the service follows, and with its own appends. */
  observe(event: Pick<RecordedEvent, 'metadata'>): void {
    // eslint-disable-next-line no-restricted-syntax -- two optional metadata strings of every followed event, of any type (a newer writer's too); never its data, so a full decode would only add a schema check per event
    const { idempotencyKey, requestFingerprint } = event.metadata as Partial<EventMetadata>;
    if (idempotencyKey === undefined || requestFingerprint === undefined) return;
    if (!this.fingerprints.has(idempotencyKey)) {
      this.fingerprints.set(idempotencyKey, requestFingerprint);
    }
  }

  /** Refuses a request whose Idempotency-Key was first used for a different request. */
  check(context: Pick<CommandContext, 'idempotencyKey' | 'requestFingerprint'>): void {
    if (context.idempotencyKey === undefined) return;
    const first = this.fingerprints.get(context.idempotencyKey);
    if (first !== undefined && first !== context.requestFingerprint) {
      throw idempotencyKeyReused();
    }
  }
}

export function idempotencyKeyReused(): AppError {
  return new AppError(
    'IDEMPOTENCY.KEY_REUSED',
    'conflict',
    'this Idempotency-Key was already used with a different request',
  );
}
