import { Inject, Injectable } from '@nestjs/common';
import {
  LEAK_REPORT_ACTOR_NAME,
  type ActorView,
  type AuditEntryView,
  type AuditFilter,
} from '@keyward/messaging';
import { READ_MODEL_DB } from '../tokens';
import type { Db } from '../store/read-model-db';
import { prepared } from '../store/prepared';
import { principal, principalNow } from './views';

export interface AuditFilters {
  actor: string | null;
  target: string | null;
  action: string | null;
  from: number | null;
  to: number | null;
}

interface AuditRow {
  seq: number;
  org_id: string;
  at: number;
  action: string;
  event_type: string | null;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  target_kind: string;
  target_id: string;
  target_name: string | null;
  owner_kind: string | null;
  owner_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  channel: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  event_id: string | null;
  details: string;
  actor_now_name: string | null;
  actor_status: string | null;
  target_status: string | null;
  owner_now_name: string | null;
  owner_status: string | null;
}

const DETAIL_COLUMNS = `a.*,
  ${principalNow('a.actor_kind', 'a.actor_id', 'a.org_id', 'name')} AS actor_now_name,
  ${principalNow('a.actor_kind', 'a.actor_id', 'a.org_id', 'status')} AS actor_status,
  ${principalNow('a.target_kind', 'a.target_id', 'a.org_id', 'status')} AS target_status,
  ${principalNow('a.owner_kind', 'a.owner_id', 'a.org_id', 'name')} AS owner_now_name,
  ${principalNow('a.owner_kind', 'a.owner_id', 'a.org_id', 'status')} AS owner_status`;

/**
 * Reads the audit log newest first, one keyset page at a time: the page's ids first (an index
 * range scan that stops at the limit), then the entries with who is active now.
 */
@Injectable()
export class AuditReader {
  constructor(@Inject(READ_MODEL_DB) private readonly db: Db) {}

  static filtersOf(request: AuditFilter): AuditFilters {
    return {
      actor: request.actor ?? null,
      target: request.target ?? null,
      action: request.action ?? null,
      from: request.from ?? null,
      to: request.to ?? null,
    };
  }

  /**
   * The keyset position of one entry of the org (`ev_<position>` or `us_<sequence>`), so a
   * client can resume an export after the last entry it received; null when there is none.
   */
  positionOf(orgId: string, entryId: string): [number, number] | null {
    const seq = entrySeqOf(entryId);
    const row = prepared(
      this.db,
      'SELECT at, seq FROM audit_log WHERE org_id = ? AND seq = ?',
      'raw',
    ).get(orgId, seq) as [number, number] | undefined;
    return row ?? null;
  }

  /** Up to `limit` entries after the keyset position `after` ([at, seq]), and whether more exist. */
  page(
    orgId: string,
    filters: AuditFilters,
    limit: number,
    after: (string | number)[] | null,
  ): { entries: AuditEntryView[]; more: boolean; last: [number, number] | null } {
    const where = ['a.org_id = @orgId'];
    if (isAnonymousActor(filters.actor)) {
      where.push(`a.actor_kind = '${filters.actor}'`);
    } else if (filters.actor !== null) where.push('a.actor_id = @actor');
    if (filters.action !== null) where.push('a.action = @action');
    if (filters.from !== null) where.push('a.at >= @fromMs');
    if (filters.to !== null) where.push('a.at < @toMs');
    if (after) where.push('(a.at, a.seq) < (@afterAt, @afterSeq)');
    const params = {
      orgId,
      actor: filters.actor,
      target: filters.target,
      action: filters.action,
      fromMs: (filters.from ?? 0) * 1000,
      toMs: (filters.to ?? 0) * 1000,
      afterAt: after?.[0] ?? 0,
      afterSeq: after?.[1] ?? 0,
      limit: limit + 1,
    };
    const seqs = prepared(this.db, pageSql(filters, where.join(' AND ')), 'raw')
      .all(params)
      .map((row) => (row as [number, number])[1]);
    const more = seqs.length > limit;
    const ids = seqs.slice(0, limit);
    if (ids.length === 0) return { entries: [], more: false, last: null };
    const rows = prepared(
      this.db,
      `SELECT ${DETAIL_COLUMNS} FROM audit_log a WHERE a.seq IN (SELECT value FROM json_each(?))
         ORDER BY a.at DESC, a.seq DESC`,
    ).all(JSON.stringify(ids)) as AuditRow[];
    const lastRow = rows[rows.length - 1];
    return { entries: rows.map(entryView), more, last: [lastRow.at, lastRow.seq] };
  }
}

/**
 * One page of (at, seq), newest first, through the index that fits the filters best: every
 * plan is an index range scan that stops at the limit. A target also matches key entries of
 * that owner: two index scans merged (MERGE UNION), never a scan of the whole org.
 */
function pageSql(filters: AuditFilters, where: string): string {
  const order = 'ORDER BY 1 DESC, 2 DESC LIMIT @limit';
  if (filters.target !== null) {
    return `SELECT a.at, a.seq FROM audit_log a INDEXED BY audit_by_target
        WHERE ${where} AND a.target_id = @target
      UNION SELECT a.at, a.seq FROM audit_log a INDEXED BY audit_by_owner
        WHERE ${where} AND a.owner_id = @target ${order}`;
  }
  const index =
    filters.actor !== null && !isAnonymousActor(filters.actor)
      ? 'audit_by_actor'
      : filters.action !== null
        ? 'audit_by_action'
        : 'audit_by_time';
  return `SELECT a.at, a.seq FROM audit_log a INDEXED BY ${index} WHERE ${where} ${order}`;
}

/** An entry id's sequence: events by store position, usage entries negative. */
export function entrySeqOf(id: string): number {
  const n = Number(id.slice(3));
  return id.startsWith('us_') ? -n : n;
}

/** Actors without an id: the operator, a leak report, Keyward itself (`system`). */
const ANONYMOUS_ACTORS: ReadonlySet<string> = new Set(['operator', 'leakReport', 'system']);

function isAnonymousActor(actor: string | null): boolean {
  return actor !== null && ANONYMOUS_ACTORS.has(actor);
}

function actorView(row: AuditRow): ActorView {
  if (row.actor_kind === 'leakReport') {
    return { kind: 'leakReport', id: null, name: LEAK_REPORT_ACTOR_NAME, active: null };
  }
  if (row.actor_kind === 'system')
    return { kind: 'system', id: null, name: 'system', active: null };
  if (row.actor_kind === 'operator' || row.actor_id === null) {
    return { kind: 'operator', id: null, name: 'operator', active: null };
  }
  return principal(
    row.actor_kind,
    row.actor_id,
    row.actor_name ?? row.actor_now_name,
    row.actor_status,
  );
}

function entryView(row: AuditRow): AuditEntryView {
  return {
    id: row.seq >= 0 ? `ev_${row.seq}` : `us_${-row.seq}`,
    time: Math.floor(row.at / 1000),
    occurredAt: new Date(row.at).toISOString(),
    orgId: row.org_id,
    action: row.action,
    actor: actorView(row),
    target: {
      kind: row.target_kind,
      id: row.target_id,
      name: row.target_name,
      owner:
        row.owner_kind && row.owner_id
          ? principal(row.owner_kind, row.owner_id, row.owner_now_name, row.owner_status)
          : null,
      active:
        row.target_kind === 'member' || row.target_kind === 'serviceAccount'
          ? row.target_status === 'active'
          : null,
    },
    source: { ip: row.source_ip, userAgent: row.user_agent, channel: row.channel },
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    eventId: row.event_id,
    eventType: row.event_type,
    position: row.seq >= 0 ? String(row.seq) : null,
    details: JSON.parse(row.details) as Record<string, unknown>,
  };
}
