import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { IssuedKeyReply, KeyView, Page, RevocationReply } from '../api/types';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorNote } from '../components/error-note';
import { LoadMore, usePagedList, type PagedList } from '../components/paged-list';
import { IssueKeyModal } from '../components/issue-key-form';
import { KeysTable } from '../components/keys-table';
import { plural } from '../format';
import { api, useSession } from '../session';
import './admin-pages.css';

type KeyStatusFilter = 'all' | 'active' | 'revoked' | 'expired';

const FILTERS: { value: KeyStatusFilter; label: string }[] = [
  { value: 'all', label: 'All keys' },
  { value: 'active', label: 'Active' },
  { value: 'revoked', label: 'Revoked' },
  { value: 'expired', label: 'Expired' },
];

const PAGE_SIZE = 100;
const COUNT_PAGE_SIZE = 1000;

type Dialog =
  | { kind: 'issue' }
  | { kind: 'revoke'; key: KeyView }
  | { kind: 'revoke-all'; count: number }
  | null;

/** The signed-in member's own keys: list, issue, revoke one, revoke all. */
export function PersonalKeysPage() {
  const session = useSession();
  const currentKeyId = session.identity?.keyId ?? null;
  const [status, setStatus] = useState<KeyStatusFilter>('all');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = usePagedList<KeyView>(
    (cursor) => api.get<Page<KeyView>>(PATHS.myKeys, { status, limit: PAGE_SIZE, cursor }),
    [status],
  );
  // Every active key, whatever the list shows: the count on "Revoke (N) Active Keys".
  const active = usePagedList<KeyView>(
    (cursor) =>
      api.get<Page<KeyView>>(PATHS.myKeys, { status: 'active', limit: COUNT_PAGE_SIZE, cursor }),
    [],
    true,
  );
  const activeCount = active.items.length;
  const countKnown = !active.loading || active.items.length > 0;
  const signedInWithOne =
    currentKeyId !== null && active.items.some((k) => k.keyId === currentKeyId);

  /** After a revocation: both lists again, until none of these keys shows as active. */
  const refreshAfterRevoking = (keyIds: string[]) => {
    const gone = (items: KeyView[]) =>
      !items.some((key) => key.status === 'active' && keyIds.includes(key.keyId));
    list.refresh(gone);
    active.refresh(gone);
  };

  const revokeOne = async (key: KeyView) => {
    await api.call<void>('DELETE', PATHS.myKey(key.keyId));
    setDialog(null);
    setDone(`Revoked key ${key.name || key.hint}. It is refused everywhere from now on.`);
    refreshAfterRevoking([key.keyId]);
  };

  const revokeAll = async () => {
    const reply = await api.call<RevocationReply>('POST', PATHS.revokeAllMyKeys, {});
    setDialog(null);
    setDone(
      reply.revokedKeyIds.length === 0
        ? 'You had no active keys to revoke.'
        : `Revoked ${plural(reply.revokedKeyIds.length, 'key')}. They are refused everywhere from now on.`,
    );
    refreshAfterRevoking(reply.revokedKeyIds);
  };

  return (
    <section>
      <div class="page-head">
        <h1>My keys</h1>
        <div class="buttons">
          <button
            type="button"
            class="primary"
            onClick={() => {
              setDone(null);
              setDialog({ kind: 'issue' });
            }}
          >
            Issue a key
          </button>
          <button
            type="button"
            class="danger"
            disabled={activeCount === 0}
            onClick={() => {
              setDone(null);
              setDialog({ kind: 'revoke-all', count: activeCount });
            }}
          >
            {countKnown ? `Revoke (${activeCount}) Active Keys` : 'Revoke Active Keys'}
          </button>
        </div>
      </div>
      <p class="muted">
        Your personal keys act with your own grants. A key&apos;s secret is shown once, when it is
        issued; Keyward keeps only its hash.
      </p>
      <ErrorNote error={active.error} />
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
      <KeyList list={list} status={status} onRevoke={(key) => setDialog({ kind: 'revoke', key })} />
      {dialog?.kind === 'issue' ? (
        <IssueKeyModal
          title="Issue a personal key"
          issue={(body) => api.call<IssuedKeyReply>('POST', PATHS.myKeys, body)}
          onClose={() => setDialog(null)}
          onIssued={() => {
            list.refresh();
            active.refresh();
          }}
        />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <ConfirmModal
          title="Revoke this key?"
          confirmLabel="Revoke key"
          onConfirm={() => revokeOne(dialog.key)}
          onClose={() => setDialog(null)}
        >
          <p>
            Revoke <strong>{dialog.key.name || 'unnamed key'}</strong> (
            <code>{dialog.key.hint}</code>
            )? Every verifier refuses it before this answers, and it cannot be undone.
          </p>
          {dialog.key.keyId === currentKeyId ? (
            <p class="warning">
              This is the key you are signed in with: the console signs you out once it is revoked.
            </p>
          ) : null}
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'revoke-all' ? (
        <ConfirmModal
          title="Revoke all your active keys?"
          confirmLabel={`Revoke ${plural(dialog.count, 'key')}`}
          onConfirm={revokeAll}
          onClose={() => setDialog(null)}
        >
          <p>
            This revokes all {plural(dialog.count, 'active personal key')} of yours at once. Every
            verifier refuses them before this answers, and it cannot be undone.
          </p>
          {signedInWithOne ? (
            <p class="warning">
              The key you are signed in with is one of them: the console signs you out afterwards.
            </p>
          ) : null}
        </ConfirmModal>
      ) : null}
    </section>
  );
}

function KeyList({
  list,
  status,
  onRevoke,
}: {
  list: PagedList<KeyView>;
  status: KeyStatusFilter;
  onRevoke: (key: KeyView) => void;
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
      <KeysTable keys={list.items} label="Your personal keys" onRevoke={onRevoke} />
      <LoadMore list={list} />
    </>
  );
}
