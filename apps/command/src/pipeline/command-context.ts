import type { ActorRef } from '@keyward/domain';
import type { CallContext } from '@keyward/transport';

export type { ActorRef, EventMetadata } from '@keyward/domain';

/** What every appended event records about the command that caused it. */
export interface CommandContext {
  actor: ActorRef;
  orgId: string;
  correlationId: string;
  /** Present when the caller sent an Idempotency-Key: scoped to the caller, never global. */
  idempotencyKey?: string;
  /** Identifies the request an idempotency key was first used with. */
  requestFingerprint?: string;
  source: CallContext['source'];
  /**
   * The read barrier of this request: every stream it reads is at least as fresh as the store
   * was when the request arrived. Retries after a conflict pass a new barrier.
   */
  readBarrier?: Promise<void>;
}
