import { createHash } from 'node:crypto';
import {
  assertNever,
  memberStream,
  organizationStream,
  schemaVersionOf,
  serviceAccountNameStream,
  serviceAccountStream,
  webhookEndpointStream,
  type EventMetadata,
  type KeywardEvent,
} from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import { toAppliedEvent, type AppliedEvent } from '../src/projections/applied-event';
import { ReadModelWriter } from '../src/projection/read-model-writer';
import {
  createIndexes,
  dropReadModels,
  forRebuild,
  openReadModelDb,
  type Db,
} from '../src/store/read-model-db';
import { READ_MODEL_TABLES } from '../src/store/schema';
import { digestReadModels } from '../src/store/table-digest';

/*
 * Projection specs: given(...history).when(event).then(view => expect(...)). Events are plain
 * domain events, typed as KeywardEvent (a wrong shape does not compile), with optional metadata
 * overrides; each is recorded as the command service would store it (its stream, a revision in
 * that stream, one commit per event, full metadata) and applied through the real
 * ReadModelWriter on a fresh ':memory:' database opened by the projector's own openReadModelDb.
 */

/** A domain event, with what its metadata should say where the default will not do. */
export type SpecEvent = KeywardEvent & { metadata?: Partial<EventMetadata> };

export type Row = Record<string, unknown>;

/** An audit_log row with its details parsed. */
export type AuditEntry = Row & { details: Record<string, unknown> };

export interface ProjectionView {
  readonly db: Db;
  /** The `when` event as the reducers saw it: position, at, actor, eventId, … */
  readonly when: AppliedEvent;
  rows<T = Row>(sql: string, ...params: unknown[]): T[];
  /** The one row the query returns; throws if it returns none or several. */
  row<T = Row>(sql: string, ...params: unknown[]): T;
  /** The audit entry the `when` event wrote. */
  audit(): AuditEntry;
}

export interface Scenario {
  /** The given events then the `when` event, as recorded. */
  readonly history: readonly RecordedEvent[];
  then(expectation: (view: ProjectionView) => void): void;
}

export const ADMIN = { kind: 'member', id: 'admin' } as const;
export const START_MS = Date.UTC(2026, 0, 1);

/** The organization every spec's events belong to, created by the operator. */
export const ORG_CREATED: SpecEvent = {
  type: 'OrganizationCreated',
  data: { orgId: 'acme', name: 'Acme' },
  metadata: { actor: { kind: 'operator' } },
};

/** Its first admin (`ADMIN`), with no grants of its own. */
export const ADMIN_ADDED: SpecEvent = {
  type: 'MemberAdded',
  data: { orgId: 'acme', userId: 'admin', displayName: 'Ada Admin', orgRole: 'admin', grants: [] },
  metadata: { actor: { kind: 'operator' } },
};
/** JetStream positions: the commit's sequence above 16 bits of index within the commit. */
const INDEX_BITS = 16n;

export function given(...events: SpecEvent[]): { when(event: SpecEvent): Scenario } {
  return {
    when(event) {
      const history = record([...events, event]);
      return {
        history,
        then(expectation) {
          const db = freshReadModel();
          const writer = new ReadModelWriter(db);
          writer.applyEvents(history.slice(0, -1));
          writer.applyEvents(history.slice(-1));
          expectation(view(db, history[history.length - 1]));
          db.close();
        },
      };
    },
  };
}

/** An empty read model, built exactly as the projector builds its own. */
export function freshReadModel(): Db {
  return openReadModelDb(':memory:');
}

/**
 * Registers one test per scenario: its whole history applied again (as one batch, event by
 * event, and by a new writer, as after a restart) changes nothing, since the checkpoint skips
 * it; and a rebuild (into a new empty database, and in place as rebuild-read-models does it)
 * gives the same rows.
 */
export function itReplaysIdempotently(scenarios: Record<string, Scenario>): void {
  it.each(Object.entries(scenarios))(
    '%s: applied again it changes nothing, and a rebuild gives identical rows',
    (_name, { history }) => {
      const db = freshReadModel();
      const writer = new ReadModelWriter(db);
      writer.applyEvents(history);
      const once = tableContents(db);
      const digest = digestReadModels(db);
      expect(once.audit_log).toHaveLength(history.length);

      writer.applyEvents(history);
      for (const event of history) writer.applyEvents([event]);
      new ReadModelWriter(db).applyEvents(history);
      expect(tableContents(db)).toEqual(once);

      const rebuilt = freshReadModel();
      new ReadModelWriter(rebuilt).applyEvents(history);
      expect(tableContents(rebuilt)).toEqual(once);
      expect(digestReadModels(rebuilt)).toEqual(digest);

      dropReadModels(forRebuild(db));
      new ReadModelWriter(db).applyEvents(history);
      createIndexes(db);
      expect(tableContents(db)).toEqual(once);
      expect(digestReadModels(db)).toEqual(digest);
      db.close();
      rebuilt.close();
    },
  );
}

/** Every read-model table's rows, in a stable order: equal means identical. */
export function tableContents(db: Db): Record<string, Row[]> {
  return Object.fromEntries(
    READ_MODEL_TABLES.map((table) => {
      const rows = db.prepare(`SELECT * FROM ${table}`).all() as Row[];
      const keyed = rows.map((row) => [JSON.stringify(row), row] as const);
      keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return [table, keyed.map(([, row]) => row)];
    }),
  );
}

/** Domain events as the store would return them: commit n at position n << 16. */
export function record(events: readonly SpecEvent[]): RecordedEvent[] {
  const revisions = new Map<string, bigint>();
  return events.map(({ metadata, ...event }, i) => {
    const n = i + 1;
    const streamName = streamOf(event as KeywardEvent);
    const revision = revisions.get(streamName) ?? 0n;
    revisions.set(streamName, revision + 1n);
    const eventId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const full: EventMetadata = {
      eventId,
      actor: ADMIN,
      orgId: event.data.orgId,
      correlationId: `corr-${n}`,
      causationId: `corr-${n}`,
      source: { ip: '203.0.113.7', userAgent: 'keyward-cli/1.0', channel: 'http' },
      occurredAt: new Date(START_MS + n * 1000).toISOString(),
      schemaVersion: schemaVersionOf(event.type),
      commandType: event.type,
      ...metadata,
    };
    return {
      id: full.eventId,
      type: event.type,
      data: event.data,
      metadata: full,
      streamName,
      revision,
      position: BigInt(n) << INDEX_BITS,
    };
  });
}

/** The stream the command service appends the event to (docs/events.md, Streams). */
function streamOf(event: KeywardEvent): string {
  switch (event.type) {
    case 'OrganizationCreated':
    case 'RoleDefined':
    case 'OrganizationPolicySet':
      return organizationStream(event.data.orgId);
    case 'MemberAdded':
    case 'MemberGrantsChanged':
    case 'MemberRemoved':
      return memberStream(event.data.orgId, event.data.userId);
    case 'ServiceAccountCreated':
    case 'ServiceAccountUpdated':
    case 'ServiceAccountDeleted':
      return serviceAccountStream(event.data.accountId);
    case 'KeyIssued':
    case 'KeyRevoked':
    case 'KeyRotated': {
      const { orgId, owner } = event.data;
      return owner.kind === 'member'
        ? memberStream(orgId, owner.id)
        : serviceAccountStream(owner.id);
    }
    case 'ServiceAccountNameReserved':
    case 'ServiceAccountNameReleased':
      return serviceAccountNameStream(event.data.orgId, nameKey(event.data.name));
    case 'WebhookEndpointRegistered':
    case 'WebhookEndpointUpdated':
    case 'WebhookEndpointDisabled':
    case 'WebhookEndpointEnabled':
    case 'WebhookEndpointDeleted':
      return webhookEndpointStream(event.data.endpointId);
    default:
      return assertNever(event);
  }
}

/** As apps/command's service-account-names.ts: a hash of the NFKC, trimmed, lower-cased name. */
function nameKey(name: string): string {
  const folded = name.normalize('NFKC').trim().toLowerCase();
  return createHash('sha256').update(folded).digest('hex').slice(0, 32);
}

function view(db: Db, recorded: RecordedEvent): ProjectionView {
  const when = toAppliedEvent(recorded);
  if (when === null) throw new Error(`${recorded.type} is not a known event type`);
  const rows = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
  const row = <T>(sql: string, ...params: unknown[]): T => {
    const found = rows<T>(sql, ...params);
    if (found.length !== 1) throw new Error(`expected one row, got ${found.length}: ${sql}`);
    return found[0];
  };
  return {
    db,
    when,
    rows,
    row,
    audit: () => {
      const entry = row<Row & { details: string }>(
        `SELECT * FROM audit_log WHERE seq = ?`,
        when.position,
      );
      return { ...entry, details: JSON.parse(entry.details) as Record<string, unknown> };
    },
  };
}
