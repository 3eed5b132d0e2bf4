import { once } from 'node:events';
import type { Command } from 'commander';
import type { AuditEntryView, KeyAtView, Page } from '@keyward/messaging';
import { CliError, type ApiClient } from '../api/api-client';
import { EXIT } from '../exit-codes';
import { epochSecondsOf } from '../input/times';
import { printPage, printRecord, time, type Column } from '../output/output';
import { contextOf, positiveInteger, queryOf } from './context';

const ENTRIES = '/api/audit/v1/entry';
const EXPORT = '/api/audit/v1/export';
/** Ids `audit tail` remembers: ten of its 100-entry pages. */
const TAIL_MEMORY = 1_000;

interface FilterOptions {
  actor?: string;
  target?: string;
  action?: string;
  from?: string;
  to?: string;
}

/** A principal as the audit log shows it: itself, marked when no longer active. */
function principal(view: {
  kind: string;
  id: string | null;
  name: string | null;
  active: boolean | null;
}) {
  const who =
    view.name && view.name !== view.id ? `${view.name} (${view.id})` : (view.id ?? view.kind);
  return view.active === false ? `${who} [inactive]` : who;
}

const ENTRY_COLUMNS: Column<AuditEntryView>[] = [
  { header: 'time', value: (e) => e.occurredAt.replace(/\.\d{3}Z$/, 'Z') },
  { header: 'action', value: (e) => e.action },
  { header: 'actor', value: (e) => principal(e.actor) },
  {
    header: 'target',
    value: (e) =>
      principal({
        kind: e.target.kind,
        id: e.target.id,
        name: e.target.name,
        active: e.target.active,
      }),
  },
  { header: 'source', value: (e) => [e.source.channel, e.source.ip].filter(Boolean).join(' ') },
];

/** `--from` / `--to`: a time or epoch seconds, as the API's epoch seconds. */
function timeOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = epochSecondsOf(text);
  if (seconds === undefined) {
    throw new CliError(
      `${name} must be a time (2027-01-31T00:00:00Z) or epoch seconds, got ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return seconds;
}

function filtersOf(options: FilterOptions) {
  return {
    actor: options.actor,
    target: options.target,
    action: options.action,
    from: timeOption('--from', options.from),
    to: timeOption('--to', options.to),
  };
}

function withFilters(command: Command): Command {
  return command
    .option('--actor <id>', 'a member user id, service account id or operator')
    .option('--target <id>', 'an account, member, key, role or organization id')
    .option('--action <action>', 'e.g. key.revoked, service_account.created')
    .option('--from <time>', 'from this time (inclusive): ISO time or epoch seconds')
    .option('--to <time>', 'until this time (exclusive)');
}

/** `keyward audit query|tail|export`. */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the audit log (org admins)');

  withFilters(audit.command('query'))
    .description('one page of entries, newest first')
    .option('--limit <n>', 'page size', positiveInteger('--limit'))
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (options: FilterOptions & { limit?: number; cursor?: string }, command: Command) => {
        const { api, output } = contextOf(command);
        const page = await api.call<Page<AuditEntryView>>(
          'GET',
          ENTRIES +
            queryOf({ ...filtersOf(options), limit: options.limit, cursor: options.cursor }),
        );
        printPage(output, page, ENTRY_COLUMNS);
      },
    );

  withFilters(audit.command('tail'))
    .description('print new entries as they are recorded, until Ctrl-C')
    .option(
      '--interval <ms>',
      'how often to ask (default 1000)',
      positiveInteger('--interval'),
      1000,
    )
    .option('--lines <n>', 'entries to show first (default 10)', positiveInteger('--lines'), 10)
    .action(
      async (options: FilterOptions & { interval: number; lines: number }, command: Command) => {
        const { api, output } = contextOf(command);
        await tail(api, output.json, filtersOf(options), options);
      },
    );

  audit
    .command('key-at')
    .description(
      'was a key valid at a past time, for whom, and which event decided it (from the store)',
    )
    .argument('<keyId>', 'the key, e.g. key_…')
    .requiredOption(
      '--time <time>',
      'the instant: ISO time (2027-01-31T12:00:00Z) or epoch seconds',
    )
    .action(async (keyId: string, options: { time: string }, command: Command) => {
      const { api, output } = contextOf(command);
      const at = await api.call<KeyAtView>(
        'GET',
        `/api/audit/v1/key/${encodeURIComponent(keyId)}/at` +
          queryOf({ time: timeOption('--time', options.time) }),
      );
      printRecord(output, keyAtFields(at), at);
    });

  withFilters(audit.command('export'))
    .description('the whole filtered log to stdout, newest first; progress on stderr')
    .option('--format <format>', 'ndjson or csv', 'ndjson')
    .option('--after <entryId>', 'resume an interrupted export after this entry id')
    .action(
      async (options: FilterOptions & { format: string; after?: string }, command: Command) => {
        if (options.format !== 'ndjson' && options.format !== 'csv') {
          throw new CliError(
            `--format must be ndjson or csv, got ${JSON.stringify(options.format)}`,
            EXIT.usage,
          );
        }
        const { api } = contextOf(command);
        await exportLog(api, options.format, { ...filtersOf(options), after: options.after });
      },
    );
}

/** One line per new entry (a table row's fields, or its JSON with --json), oldest first. */
async function tail(
  api: ApiClient,
  json: boolean,
  filters: ReturnType<typeof filtersOf>,
  options: { interval: number; lines: number },
): Promise<void> {
  // The ids printed lately, oldest first: enough to recognise the newest page already shown,
  // bounded so that following the log for days does not grow without end.
  const seen = new Set<string>();
  const print = (entries: AuditEntryView[]) => {
    for (const entry of [...entries].reverse()) {
      seen.add(entry.id);
      if (seen.size > TAIL_MEMORY) seen.delete(seen.values().next().value as string);
      const line = json
        ? JSON.stringify(entry)
        : ENTRY_COLUMNS.map((column) => String(column.value(entry))).join('  ');
      process.stdout.write(`${line}\n`);
    }
  };
  const first = await api.call<Page<AuditEntryView>>(
    'GET',
    ENTRIES + queryOf({ ...filters, limit: options.lines }),
  );
  print(first.items);
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopped) {
    await new Promise((resolve) => setTimeout(resolve, options.interval));
    if (stopped) break;
    // Newest first: read pages until one holds an entry already printed.
    const fresh: AuditEntryView[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await api.call<Page<AuditEntryView>>(
        'GET',
        ENTRIES + queryOf({ ...filters, limit: 100, cursor }),
      );
      const unseen = page.items.filter((entry) => !seen.has(entry.id));
      fresh.push(...unseen);
      if (unseen.length < page.items.length || !page.nextCursor || seen.size === 0) break;
      cursor = page.nextCursor;
    }
    print(fresh);
  }
}

/**
 * Streams the export to stdout with bounded memory, counting entries on stderr. An interrupted
 * stream ends with exit 7 and the `--after` that resumes it.
 */
async function exportLog(
  api: ApiClient,
  format: 'ndjson' | 'csv',
  query: ReturnType<typeof filtersOf> & { after?: string },
): Promise<void> {
  const response = await api.send('GET', EXPORT + queryOf({ ...query, format }));
  const progress = process.stderr.isTTY;
  let entries = 0;
  let lastId: string | undefined;
  let partial = '';
  let header = format === 'csv';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const text = Buffer.from(chunk).toString('utf8');
      if (!process.stdout.write(text)) await once(process.stdout, 'drain');
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (header) {
          header = false;
          continue;
        }
        if (line.trim() === '') continue;
        entries++;
        lastId =
          format === 'ndjson'
            ? (JSON.parse(line) as { id: string }).id
            : line.slice(0, line.indexOf(','));
      }
      if (progress) process.stderr.write(`\rexported ${entries} entries`);
    }
  } catch (error) {
    if (progress) process.stderr.write('\n');
    const resume = lastId ? `; resume with --after ${lastId}` : '';
    throw new CliError(
      `the export was cut after ${entries} entries (${(error as Error).message})${resume}`,
      EXIT.unavailable,
    );
  }
  process.stderr.write(`${progress ? '\r' : ''}exported ${entries} entries\n`);
}

/** A point-in-time answer as `field  value` lines: the verdict first, then why and for whom. */
function keyAtFields(at: KeyAtView): [string, unknown][] {
  const decided = at.decidedBy;
  return [
    ['key', at.keyId],
    ['at', time(at.time)],
    [
      'valid',
      at.valid
        ? 'yes'
        : `no (${at.reason}${at.revocationReason ? `: ${at.revocationReason}` : ''})`,
    ],
    ['principal', principal({ ...at.principal })],
    ['role', at.role ?? undefined],
    ['permissions', at.permissions.join(', ')],
    ['resources', at.resources.join(', ')],
    ['grants', at.grants?.map((g) => `${g.resource}: ${g.role}`).join(', ')],
    ['expires', at.expiresAt === null ? 'never' : time(at.expiresAt)],
    ['successor', at.successorKeyId ?? undefined],
    [
      'decided by',
      decided
        ? `${decided.eventType} ${decided.eventId} at ${decided.occurredAt} (position ${decided.position})`
        : 'nothing yet',
    ],
  ];
}
