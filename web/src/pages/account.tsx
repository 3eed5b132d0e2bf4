import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type {
  IssuedKeyReply,
  KeyView,
  RevocationReply,
  ServiceAccountWithKeysView,
} from '../api/types';
import { PrincipalChip, StatusBadge } from '../components/badges';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorNote } from '../components/error-note';
import { IssueKeyModal } from '../components/issue-key-form';
import { KeysTable } from '../components/keys-table';
import { eventually, useLoad } from '../components/use-load';
import { dateTime, plural } from '../format';
import { href, navigate } from '../router';
import { api } from '../session';
import { AccountUsage } from './account-usage';
import { RenameAccountModal } from './rename-account';
import { RotateKeyModal } from './rotate-key';

type Dialog =
  | { kind: 'issue' }
  | { kind: 'revoke'; key: KeyView }
  | { kind: 'rotate'; key: KeyView }
  | { kind: 'revoke-all' }
  | { kind: 'rename' }
  | { kind: 'delete' }
  | null;

/** One service account: its facts, its keys with their usage, and everything done to it. */
export function AccountPage({ id }: { id: string }) {
  const account = useLoad(() => api.get<ServiceAccountWithKeysView>(PATHS.account(id)), [id]);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const close = () => setDialog(null);
  /** After a change: the message, and the account again until the change shows in it. */
  const done = (message: string, shows: (account: ServiceAccountWithKeysView) => boolean) => {
    setDialog(null);
    setNotice(message);
    account.reload(shows);
  };
  const keyIs = (keyId: string, status: string) => (account: ServiceAccountWithKeysView) =>
    account.keys.some((key) => key.keyId === keyId && key.status === status);
  const a = account.data;
  if (!a) {
    return (
      <section>
        <p>
          <a href={href('accounts')}>← Service accounts</a>
        </p>
        <h1>Service account</h1>
        {account.error ? <ErrorNote error={account.error} /> : <p>Loading…</p>}
      </section>
    );
  }
  const active = a.keys.filter((key) => key.status === 'active');
  const deleted = a.status === 'deleted';
  return (
    <section>
      <p>
        <a href={href('accounts')}>← Service accounts</a>
      </p>
      <div class="page-head">
        <h1>
          {a.name} <StatusBadge status={a.status} />
        </h1>
        {deleted ? null : (
          <div class="buttons">
            <button type="button" class="primary" onClick={() => setDialog({ kind: 'issue' })}>
              Issue key
            </button>
            <button type="button" onClick={() => setDialog({ kind: 'rename' })}>
              Rename
            </button>
            <button type="button" class="danger" onClick={() => setDialog({ kind: 'delete' })}>
              Delete
            </button>
          </div>
        )}
      </div>
      {a.description ? <p>{a.description}</p> : null}
      <dl class="facts">
        <dt>Id</dt>
        <dd>
          <code>{a.id}</code>
        </dd>
        <dt>Role</dt>
        <dd>
          {a.role} <span class="muted">({a.permissions.join(', ')})</span>
        </dd>
        <dt>Resources</dt>
        <dd>
          {a.resources.map((resource) => (
            <code key={resource} class="resource">
              {resource}
            </code>
          ))}
        </dd>
        <dt>Basic Auth</dt>
        <dd>{a.enableBasicAuth ? 'accepted (account id and key)' : 'off'}</dd>
        <dt>Created</dt>
        <dd>
          {dateTime(a.created)} by{' '}
          <PrincipalChip
            principal={
              a.createdBy.id ? { kind: a.createdBy.kind as 'member', id: a.createdBy.id } : null
            }
          />
        </dd>
        {a.deleted ? (
          <>
            <dt>Deleted</dt>
            <dd>{dateTime(a.deleted)}</dd>
          </>
        ) : null}
        <dt>History</dt>
        <dd>
          <a href={href('audit', { target: a.id })}>Audit entries for this account</a>
        </dd>
      </dl>
      {notice ? (
        <p class="success" role="status">
          {notice}
        </p>
      ) : null}
      <div class="page-head">
        <h2>Keys</h2>
        {deleted ? null : (
          <button
            type="button"
            class="danger"
            disabled={active.length === 0}
            onClick={() => setDialog({ kind: 'revoke-all' })}
          >
            Revoke ({active.length}) Active Keys
          </button>
        )}
      </div>
      <KeysTable
        keys={a.keys}
        label={`Keys of ${a.name}`}
        onRevoke={deleted ? undefined : (key) => setDialog({ kind: 'revoke', key })}
        onRotate={deleted ? undefined : (key) => setDialog({ kind: 'rotate', key })}
      />
      <AccountUsage id={a.id} keys={a.keys} />
      {dialog?.kind === 'rotate' ? (
        <RotateKeyModal
          path={PATHS.rotateAccountKey(a.id, dialog.key.keyId)}
          old={dialog.key}
          onClose={close}
          onRotated={(reply) => account.reload(keyIs(reply.keyId, 'active'))}
        />
      ) : null}
      {dialog?.kind === 'issue' ? (
        <IssueKeyModal
          title={`Issue a key for ${a.name}`}
          issue={(body) => api.call<IssuedKeyReply>('POST', PATHS.accountKeys(a.id), body)}
          onIssued={(issued) => account.reload(keyIs(issued.keyId, 'active'))}
          onClose={close}
        />
      ) : null}
      {dialog?.kind === 'revoke' ? (
        <ConfirmModal
          title="Revoke this key?"
          confirmLabel="Revoke key"
          onClose={close}
          onConfirm={async () => {
            await api.call('DELETE', PATHS.accountKey(a.id, dialog.key.keyId));
            done(
              `Key ${dialog.key.name || dialog.key.hint} revoked; every node refuses it now.`,
              keyIs(dialog.key.keyId, 'revoked'),
            );
          }}
        >
          <p>
            <strong>{dialog.key.name || 'This key'}</strong> (<code>{dialog.key.hint}</code>) stops
            working everywhere before this dialog closes. This cannot be undone.
          </p>
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'revoke-all' ? (
        <ConfirmModal
          title={`Revoke ${plural(active.length, 'active key')}?`}
          confirmLabel={`Revoke (${active.length}) Active Keys`}
          onClose={close}
          onConfirm={async () => {
            const reply = await api.call<RevocationReply>(
              'POST',
              PATHS.revokeAllAccountKeys(a.id),
              {},
            );
            done(`${plural(reply.revokedKeyIds.length, 'key')} revoked.`, (account) =>
              reply.revokedKeyIds.every((keyId) => keyIs(keyId, 'revoked')(account)),
            );
          }}
        >
          <p>
            Every active key of <strong>{a.name}</strong> stops working at once. Whatever uses them
            will be refused until it gets a new key.
          </p>
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'rename' ? (
        <RenameAccountModal
          account={a}
          onClose={close}
          onSaved={(saved) =>
            done(
              'Saved.',
              (account) => account.name === saved.name && account.description === saved.description,
            )
          }
        />
      ) : null}
      {dialog?.kind === 'delete' ? (
        <ConfirmModal
          title={`Delete ${a.name}?`}
          confirmLabel="Delete service account"
          typeToConfirm={a.name}
          onClose={close}
          onConfirm={async () => {
            await api.call('DELETE', PATHS.account(a.id));
            await eventually(
              () => api.get<ServiceAccountWithKeysView>(PATHS.account(a.id)),
              (account) => account.status === 'deleted',
            );
            navigate('accounts');
          }}
        >
          <p>
            Deleting revokes its {plural(active.length, 'active key')} in the same step. The account
            stays in the audit log, marked inactive, and its name becomes free.
          </p>
        </ConfirmModal>
      ) : null}
    </section>
  );
}
