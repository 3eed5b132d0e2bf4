import type { AppliedEvent } from './applied-event';
import type { ReadModelStatements } from './read-model-statements';

export type Reducer = (sql: ReadModelStatements, event: AppliedEvent) => void;

/** A projection is a table of event type → reducer (ZITADEL's style); other types pass by. */
export type Projection = Readonly<Record<string, Reducer>>;

export const json = (value: unknown): string => JSON.stringify(value ?? null);
export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
export const optionalStr = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;
export const numOrNull = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
