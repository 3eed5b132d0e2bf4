import type { KeywardEventType } from '@keyward/domain';
import type { AppliedOf } from './applied-event';
import type { ReadModelStatements } from './read-model-statements';

/** Applies one event type to the read models: it receives that type's decoded data. */
export type Reducer<T extends KeywardEventType> = (
  sql: ReadModelStatements,
  event: AppliedOf<T>,
) => void;

/**
 * A projection is a table of event type → reducer (ZITADEL's reducer tables, Emmett's
 * `canHandle` + `evolve`); the types it leaves out pass it by.
 */
export type Projection = { readonly [T in KeywardEventType]?: Reducer<T> };

export const json = (value: unknown): string => JSON.stringify(value ?? null);
