import { z } from 'zod';
import type { DecodedMetadata } from './event-metadata';
import { DATA_CHECKS, METADATA_CHECK } from './compiled-checks';
import { EVENT_DATA_SCHEMAS, EVENT_METADATA_SCHEMA } from './event-schemas';
import type { KeywardEvent, KeywardEventType } from './keyward-event';
import { EVENT_SCHEMA_VERSIONS } from './schema-versions';
import { upcast } from './upcasters';

/** An event as a store hands it back: type, data and metadata as they were stored. */
export interface StoredEvent {
  type: string;
  data: unknown;
  metadata: unknown;
}

export type Decoded =
  | { known: true; event: KeywardEvent; metadata: DecodedMetadata }
  /** A type this code does not know: written by a newer version. Skip it, and say so. */
  | { known: false; type: string };

/** A stored event of a known type whose data or metadata does not have that type's shape. */
export class CorruptEventError extends Error {
  constructor(
    readonly type: string,
    readonly problem: string,
  ) {
    super(`stored ${type} event does not decode: ${problem}`);
    this.name = 'CorruptEventError';
  }
}

const isKnownType = (type: string): type is KeywardEventType =>
  Object.prototype.hasOwnProperty.call(EVENT_DATA_SCHEMAS, type);

/**
 * The single place where stored events are read as the domain's types: the metadata is checked,
 * data from an older `schemaVersion` is upcast (`upcasters.ts`; an event stored without one is
 * taken as its type's current version), then checked against its type's schema. Throws
 * `CorruptEventError` for a known type that does not fit (never silently skipped: a verifier
 * must not ignore a revocation it cannot read), and answers `known: false` for a type it does
 * not know.
 *
 * The checks are the schemas compiled (`compiled-checks.ts`); zod parses only an object that
 * failed them, to say why. What is handed on is the checked object itself, not a copy: it is
 * what the store parsed (fast properties, which the projector's reducers and the verifier index
 * read millions of times on a replay).
 */
export function decodeEvent(stored: StoredEvent): Decoded {
  const { type } = stored;
  if (!isKnownType(type)) return { known: false, type };
  const storedMetadata = stored.metadata ?? {};
  if (!METADATA_CHECK(storedMetadata)) {
    throw new CorruptEventError(type, problemOf(EVENT_METADATA_SCHEMA, storedMetadata, 'metadata'));
  }
  const metadata = storedMetadata as DecodedMetadata;
  const current = EVENT_SCHEMA_VERSIONS[type];
  const version = metadata.schemaVersion ?? current;
  if (version > current) {
    throw new CorruptEventError(type, `schemaVersion ${version} is newer than this code reads`);
  }
  const data = upcast(type, version, stored.data, metadata);
  if (!DATA_CHECKS[type](data)) {
    throw new CorruptEventError(type, problemOf(EVENT_DATA_SCHEMAS[type], data, 'data'));
  }
  const event = { type, data } as KeywardEvent;
  return { known: true, event, metadata };
}

/** Why `value` does not fit `schema`: zod's first issue, with its path. */
function problemOf(schema: z.ZodType, value: unknown, part: string): string {
  const parsed = schema.safeParse(value);
  // The compiled check and zod read one JSON Schema; should they ever disagree, say so.
  if (parsed.success) return `${part}: refused by the compiled check but accepted by its schema`;
  const issue = parsed.error.issues[0];
  const path = [part, ...issue.path.map(String)].join('.');
  return `${path}: ${issue.message}`;
}
