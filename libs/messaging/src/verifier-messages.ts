/**
 * How the command service learns that every live verifier has applied a revocation (G1).
 * Verifiers announce themselves with heartbeats; after appending a revocation the command
 * service asks all of them at once (a plain subject, not the queue group) to confirm they have
 * passed its store position.
 */
export const VERIFIER_SUBJECTS = {
  /** Published by every verifier node every few hundred ms; no reply. */
  heartbeat: 'kw.verifier.heartbeat',
  /** Request to every node: answer once you have applied `position`. */
  awaitPosition: 'kw.verifier.await-position',
} as const;

export interface VerifierHeartbeat {
  verifierId: string;
  /** Store position applied so far (decimal string), null before the first event. */
  applied: string | null;
  /** False while catching up or stale: the node answers `unavailable` to every verify. */
  serving: boolean;
  /** Sent once on shutdown, after the node stopped answering: stop waiting for it. */
  leaving?: boolean;
}

export interface AwaitPositionRequest {
  /** Store position of the revocation (decimal string). */
  position: string;
  /** The revoked keys: a node refuses them until it has applied `position`. */
  keyIds: string[];
}

export interface AwaitPositionReply {
  verifierId: string;
  applied: string | null;
  /**
   * `applied`: the node has applied the position. `fenced`: the node is not serving (stale or
   * catching up) and will not serve again before it has applied a position at least this one.
   */
  state: 'applied' | 'fenced';
}
