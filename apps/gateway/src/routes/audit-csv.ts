import type { AuditEntryView } from '@keyward/messaging';

/** The CSV columns of an audit export, one row per entry; `details` as JSON. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'occurredAt',
  'action',
  'actorKind',
  'actorId',
  'actorName',
  'targetKind',
  'targetId',
  'targetName',
  'ownerKind',
  'ownerId',
  'sourceIp',
  'userAgent',
  'channel',
  'correlationId',
  'eventId',
  'eventType',
  'position',
  'details',
] as const;

export const AUDIT_CSV_HEADER = `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;

/** One RFC 4180 row. Cells a spreadsheet would run as a formula are prefixed with `'`. */
export function auditCsvRow(entry: AuditEntryView): string {
  const cells: (string | null | undefined)[] = [
    entry.id,
    entry.occurredAt,
    entry.action,
    entry.actor.kind,
    entry.actor.id,
    entry.actor.name,
    entry.target.kind,
    entry.target.id,
    entry.target.name,
    entry.target.owner?.kind,
    entry.target.owner?.id,
    entry.source.ip,
    entry.source.userAgent,
    entry.source.channel,
    entry.correlationId,
    entry.eventId,
    entry.eventType,
    entry.position,
    JSON.stringify(entry.details),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
