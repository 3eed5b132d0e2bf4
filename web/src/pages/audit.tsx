import { useState } from 'preact/hooks';
import { AUDIT_ACTIONS } from '../../../libs/messaging/src/query-messages';
import { PATHS } from '../api/paths';
import type { AuditEntryView, Page } from '../api/types';
import { PrincipalChip } from '../components/badges';
import { ErrorNote } from '../components/error-note';
import { LoadMore, usePagedList } from '../components/paged-list';
import { useSubmit } from '../components/use-load';
import { dateTime, epochOfLocal } from '../format';
import { navigate } from '../router';
import { KeyAtPanel } from './key-at';
import { api } from '../session';

const FILTERS = ['actor', 'target', 'action', 'from', 'to'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

function filtersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Filters;
}

/** The API's filter parameters: ids as typed, times as epoch seconds. */
function apiQuery(filters: Filters): Record<string, string | number | undefined> {
  return {
    actor: filters.actor || undefined,
    target: filters.target || undefined,
    action: filters.action || undefined,
    from: epochOfLocal(filters.from),
    to: epochOfLocal(filters.to),
  };
}

/** The audit log, newest first: filters in the URL, pages on demand, export of the filtered log. */
export function AuditPage({ query }: { query: URLSearchParams }) {
  const applied = filtersOf(query);
  const [form, setForm] = useState<Filters>(applied);
  const key = FILTERS.map((name) => applied[name]).join('\u0000');
  const list = usePagedList<AuditEntryView>(
    (cursor) =>
      api.get<Page<AuditEntryView>>(PATHS.audit, { ...apiQuery(applied), limit: 50, cursor }),
    [key],
  );
  const items = list.items;
  const exporting = useSubmit(async (format: 'csv' | 'ndjson') => {
    const response = await api.send('GET', withFormat(format, applied));
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `keyward-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.${format}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  });
  const field = (name: keyof Filters) => ({
    value: form[name],
    onInput: (event: Event) =>
      setForm({ ...form, [name]: (event.currentTarget as HTMLInputElement).value }),
  });
  return (
    <section>
      <div class="page-head">
        <h1>Audit log</h1>
        <div class="buttons">
          <button type="button" disabled={exporting.busy} onClick={() => void exporting.run('csv')}>
            Export CSV
          </button>
          <button
            type="button"
            disabled={exporting.busy}
            onClick={() => void exporting.run('ndjson')}
          >
            Export NDJSON
          </button>
        </div>
      </div>
      <form
        class="toolbar filters"
        role="search"
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          navigate('audit', form);
        }}
      >
        <label class="field inline">
          <span>Actor id</span>
          <input
            {...field('actor')}
            spellcheck={false}
            placeholder="sa_… or a user id"
            maxLength={200}
          />
        </label>
        <label class="field inline">
          <span>Target id</span>
          <input
            {...field('target')}
            spellcheck={false}
            placeholder="sa_…, key_…, user id"
            maxLength={200}
          />
        </label>
        <label class="field inline">
          <span>Action</span>
          <select
            value={form.action}
            onChange={(event) => setForm({ ...form, action: event.currentTarget.value })}
          >
            <option value="">any</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {action}
              </option>
            ))}
          </select>
        </label>
        <label class="field inline">
          <span>From</span>
          <input type="datetime-local" {...field('from')} />
        </label>
        <label class="field inline">
          <span>Until</span>
          <input type="datetime-local" {...field('to')} />
        </label>
        <div class="buttons">
          <button type="submit" class="primary">
            Apply
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(filtersOf(new URLSearchParams()));
              navigate('audit');
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNote error={list.error} />
      <ErrorNote error={exporting.error} />
      {list.loading && items.length === 0 ? <p>Loading…</p> : null}
      {!list.loading && !list.error && items.length === 0 ? (
        <p class="empty">No entry matches these filters.</p>
      ) : null}
      {items.length > 0 ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Audit entries, newest first">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">From</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.id} data-entry-id={entry.id}>
                  <td title={entry.occurredAt}>{dateTime(entry.time)}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    <PrincipalChip principal={entry.actor} />
                  </td>
                  <td>
                    <Target entry={entry} />
                  </td>
                  <td>
                    {entry.source.channel ?? '—'}
                    {entry.source.ip ? <div class="muted small">{entry.source.ip}</div> : null}
                  </td>
                  <td>
                    <Details details={entry.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore list={list} />
      <KeyAtPanel initialKeyId={query.get('keyAt') ?? ''} />
    </section>
  );
}

function withFormat(format: 'csv' | 'ndjson', filters: Filters): string {
  const params = new URLSearchParams({ format });
  for (const [name, value] of Object.entries(apiQuery(filters)))
    if (value !== undefined) params.set(name, String(value));
  return `${PATHS.auditExport}?${params}`;
}

function Target({ entry }: { entry: AuditEntryView }) {
  const { target } = entry;
  if (target.kind === 'member' || target.kind === 'serviceAccount') {
    return (
      <PrincipalChip
        principal={{ kind: target.kind, id: target.id, name: target.name, active: target.active }}
      />
    );
  }
  return (
    <span>
      <span class="kind">{target.kind}</span>{' '}
      <span title={target.id}>{target.name || target.id}</span>
      {target.owner ? (
        <div class="small">
          of <PrincipalChip principal={target.owner} />
        </div>
      ) : null}
    </span>
  );
}

/** The few details worth a glance (reason, role, name); the export has all of them. */
function Details({ details }: { details: Record<string, unknown> }) {
  const shown = ['reason', 'role', 'name', 'refused', 'hint'].filter(
    (name) =>
      details[name] !== undefined && details[name] !== null && typeof details[name] !== 'object',
  );
  if (shown.length === 0) return <span class="muted">—</span>;
  return (
    <span class="small">
      {shown.map((name) => (
        <span key={name} class="detail">
          {name}: {String(details[name])}
        </span>
      ))}
    </span>
  );
}
