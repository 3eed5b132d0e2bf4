/**
 * Who acted: a member, a service account, the operator (bootstrap), an anonymous leak report
 * (docs/product-rules.md rule 11: whoever presented the key's value; the source says from where),
 * or Keyward itself (`system`: a webhook endpoint disabled because its deliveries kept failing).
 */
export type ActorRef =
  | { kind: 'member' | 'serviceAccount'; id: string }
  | { kind: 'operator' }
  | { kind: 'leakReport' }
  | { kind: 'system' };

/** Where a request came from, as the edge saw it. */
export interface EventSource {
  ip: string | null;
  userAgent: string | null;
  channel: 'http' | 'nats';
}

/**
 * What every stored event records about the command that caused it, beside its data. Written by
 * the command pipeline; read back, checked, through `decodeEvent`.
 */
export interface EventMetadata {
  eventId: string;
  actor: ActorRef;
  orgId: string;
  correlationId: string;
  causationId: string;
  source: EventSource;
  /** ISO 8601, from the command's clock. */
  occurredAt: string;
  /** The version of the event's data shape; older versions are upcast when decoded. */
  schemaVersion: number;
  commandType: string;
  idempotencyKey?: string;
  requestFingerprint?: string;
}

/** What the metadata of a decoded event may say: every field checked, any of them absent. */
export type DecodedMetadata = Partial<EventMetadata>;
