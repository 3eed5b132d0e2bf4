import type { DecodedMetadata } from './event-metadata';
import type { KeywardEventType } from './keyward-event';

/** Turns one version's data into the next version's; the metadata is there to draw on. */
type Upcaster = (
  data: Record<string, unknown>,
  metadata: DecodedMetadata,
) => Record<string, unknown>;

/**
 * Per event type, per stored version: how to bring data up to the next version. `decodeEvent`
 * applies them in order until the data is at the type's current version
 * (`EVENT_SCHEMA_VERSIONS`), so stored events are never rewritten. When an event's shape
 * changes, bump its version, add the step here and a test with an event of the old shape.
 */
const UPCASTERS: Partial<Record<KeywardEventType, Record<number, Upcaster>>> = {
  // Version 0: keys issued before names, descriptions and expiry existed.
  KeyIssued: {
    0: (data) => ({ name: '', description: '', expiresAt: null, ...data }),
  },
  // Version 1 came before the per-organization expiry notice: those orgs use the default.
  OrganizationPolicySet: {
    1: (data) => ({ expiryNoticeSeconds: null, ...data }),
  },
  // Version 1 kept the reservation's time only in the metadata; the grace period for an
  // account still being created is now the name decider's to decide, from the event.
  ServiceAccountNameReserved: {
    1: (data, metadata) => ({ reservedAt: epochMsOf(metadata.occurredAt), ...data }),
  },
};

export function upcast(
  type: KeywardEventType,
  version: number,
  data: unknown,
  metadata: DecodedMetadata,
): unknown {
  const steps = UPCASTERS[type];
  let current = data;
  for (let v = version; steps && steps[v] && isRecord(current); v++) {
    current = steps[v](current, metadata);
  }
  return current;
}

/** A stored ISO 8601 time as epoch ms (0 when absent): parsing a record, not reading a clock. */
function epochMsOf(iso: string | undefined): number {
  // eslint-disable-next-line no-restricted-globals -- parses a stored time; no clock is read
  return Date.parse(iso ?? '') || 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
