import type { KeyView } from '../api/types';
import { count, dateTime, relative } from '../format';
import { StatusBadge } from './badges';

const REASONS: Record<string, string> = {
  manual: 'revoked by hand',
  revoke_all: 'revoke all',
  account_deleted: 'account deleted',
  member_removed: 'member removed',
  leaked: 'leaked',
  expired: 'expired',
};

interface KeysTableProps {
  keys: KeyView[];
  /** Label of the table (for screen readers and the scroll region). */
  label: string;
  /** Present: each active key gets a Revoke button. */
  onRevoke?: (key: KeyView) => void;
  /** Present: each active key not yet rotated gets a Rotate button. */
  onRotate?: (key: KeyView) => void;
}

/** Every key's metadata (never a hash or secret): what SPEC §4 lists for one account's keys. */
export function KeysTable({ keys, label, onRevoke, onRotate }: KeysTableProps) {
  const names = new Map(keys.map((key) => [key.keyId, key.name || key.hint]));
  const nameOf = (keyId: string) => names.get(keyId) ?? keyId;
  const actions = onRevoke !== undefined || onRotate !== undefined;
  if (keys.length === 0) return <p class="empty">No keys yet.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table class="keys">
        <caption class="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Hint</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Uses</th>
            <th scope="col">Refused</th>
            <th scope="col">Revoked</th>
            {actions ? (
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key.keyId} data-key-id={key.keyId}>
              <th scope="row">
                {key.name || <span class="muted">unnamed</span>}
                {key.description ? <div class="muted small">{key.description}</div> : null}
                {key.succeeds ? (
                  <div class="muted small">succeeds {nameOf(key.succeeds)}</div>
                ) : null}
                {key.succeededBy ? (
                  <div class="muted small">succeeded by {nameOf(key.succeededBy)}</div>
                ) : null}
              </th>
              <td>
                <code>{key.hint}</code>
              </td>
              <td>
                <StatusBadge status={key.status} />
              </td>
              <td title={key.createdBy.id ?? 'operator'}>{dateTime(key.created)}</td>
              <td>{key.expiresAt === null ? 'never' : dateTime(key.expiresAt)}</td>
              <td title={dateTime(key.lastUsed)}>{relative(key.lastUsed)}</td>
              <td>{count(key.uses)}</td>
              <td>{count(key.refused)}</td>
              <td>
                {key.revoked ? (
                  <>
                    {dateTime(key.revoked.at)}
                    <div class="muted small">
                      by {key.revoked.by.id ?? key.revoked.by.kind} ·{' '}
                      {REASONS[key.revoked.reason] ?? key.revoked.reason}
                    </div>
                  </>
                ) : (
                  '—'
                )}
              </td>
              {actions ? (
                <td>
                  {key.status === 'active' ? (
                    <div class="row-actions">
                      {onRotate && !key.succeededBy ? (
                        <button
                          type="button"
                          class="small"
                          onClick={() => onRotate(key)}
                          aria-label={`Rotate key ${key.name || key.hint}`}
                        >
                          Rotate
                        </button>
                      ) : null}
                      {onRevoke ? (
                        <button
                          type="button"
                          class="danger small"
                          onClick={() => onRevoke(key)}
                          aria-label={`Revoke key ${key.name || key.hint}`}
                        >
                          Revoke
                        </button>
                      ) : null}
                    </div>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
