import type { KeywardEventType } from './keyward-event';

/** Turns one version's data into the next version's. */
type Upcaster = (data: Record<string, unknown>) => Record<string, unknown>;

/**
 * Per event type, per stored version: how to bring data up to the next version. `decodeEvent`
 * applies them in order until the data is at `CURRENT_SCHEMA_VERSION`, so stored events are
 * never rewritten. When an event's shape changes, bump the version, add the step here and a
 * test with an event of the old shape.
 *
 * The one step today: a version-0 `KeyIssued` (keys issued before names, descriptions and
 * expiry existed) becomes version 1 with an empty name and description and no expiry.
 */
const UPCASTERS: Partial<Record<KeywardEventType, Record<number, Upcaster>>> = {
  KeyIssued: {
    0: (data) => ({ name: '', description: '', expiresAt: null, ...data }),
  },
};

export function upcast(type: KeywardEventType, version: number, data: unknown): unknown {
  const steps = UPCASTERS[type];
  let current = data;
  for (let v = version; steps && steps[v] && isRecord(current); v++) current = steps[v](current);
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
