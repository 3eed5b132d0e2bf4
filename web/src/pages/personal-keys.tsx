import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { IssuedKeyReply, KeyView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { LoadMore, type PagedList } from '../components/paged-list';
import { IssueKeyModal } from '../components/issue-key-form';
import { KeysTable } from '../components/keys-table';
import { api, useSession } from '../session';
import './admin-pages.css';
import {
  PersonalKeyActionModal,
  RevokeAllButton,
  usePersonalKeys,
  type KeyAction,
  type KeyStatusFilter,
  type PersonalKeyPaths,
} from './personal-key-actions';

const FILTERS: { value: KeyStatusFilter; label: string }[] = [
  { value: 'all', label: 'All keys' },
  { value: 'active', label: 'Active' },
  { value: 'revoked', label: 'Revoked' },
  { value: 'expired', label: 'Expired' },
];

const MY_KEYS: PersonalKeyPaths = {
  list: PATHS.myKeys,
  key: PATHS.myKey,
  rotate: PATHS.rotateMyKey,
  revokeAll: PATHS.revokeAllMyKeys,
};

type Dialog = { kind: 'issue' } | KeyAction | null;

/** The signed-in member's own keys: list, issue, rotate, revoke one, revoke all. */
export function PersonalKeysPage() {
  const session = useSession();
  const currentKeyId = session.identity?.keyId ?? null;
  const [status, setStatus] = useState<KeyStatusFilter>('all');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const keys = usePersonalKeys(MY_KEYS, status);
  const open = (next: Dialog) => {
    setDone(null);
    setDialog(next);
  };

  return (
    <section>
      <div class="page-head">
        <h1>My keys</h1>
        <div class="buttons">
          <button type="button" class="primary" onClick={() => open({ kind: 'issue' })}>
            Issue a key
          </button>
          <RevokeAllButton
            keys={keys}
            onClick={() => open({ kind: 'revoke-all', count: keys.active.items.length })}
          />
        </div>
      </div>
      <p class="muted">
        Your personal keys act with your own grants. A key&apos;s secret is shown once, when it is
        issued; Keyward keeps only its hash.
      </p>
      <ErrorNote error={keys.active.error} />
      {done ? (
        <p class="success" role="status">
          {done}
        </p>
      ) : null}
      <div class="toolbar">
        <label class="field inline">
          <span>Show</span>
          <select
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as KeyStatusFilter)}
          >
            {FILTERS.map((filter) => (
              <option key={filter.value} value={filter.value}>
                {filter.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <KeyList
        list={keys.list}
        status={status}
        onRevoke={(key) => open({ kind: 'revoke', key })}
        onRotate={(key) => open({ kind: 'rotate', key })}
      />
      {dialog?.kind === 'issue' ? (
        <IssueKeyModal
          title="Issue a personal key"
          issue={(body) => api.call<IssuedKeyReply>('POST', PATHS.myKeys, body)}
          onClose={() => setDialog(null)}
          onIssued={(issued) => keys.afterAdding(issued.keyId)}
        />
      ) : dialog ? (
        <PersonalKeyActionModal
          action={dialog}
          paths={MY_KEYS}
          keys={keys}
          owner={null}
          signedInKeyId={currentKeyId}
          onClose={() => setDialog(null)}
          onRevoked={(message) => {
            setDialog(null);
            setDone(message);
          }}
        />
      ) : null}
    </section>
  );
}

function KeyList({
  list,
  status,
  onRevoke,
  onRotate,
}: {
  list: PagedList<KeyView>;
  status: KeyStatusFilter;
  onRevoke: (key: KeyView) => void;
  onRotate: (key: KeyView) => void;
}) {
  if (list.error) return <ErrorNote error={list.error} />;
  if (list.loading && list.items.length === 0) {
    return (
      <p class="muted" role="status">
        Loading…
      </p>
    );
  }
  if (list.items.length === 0) {
    return (
      <p class="empty">
        {status === 'all' ? 'You have no personal keys yet.' : `You have no ${status} keys.`}
      </p>
    );
  }
  return (
    <>
      {list.loading ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : null}
      <KeysTable
        keys={list.items}
        label="Your personal keys"
        onRevoke={onRevoke}
        onRotate={onRotate}
      />
      <LoadMore list={list} />
    </>
  );
}
