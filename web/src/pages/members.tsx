import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { IssuedKeyReply, MemberView, Page, RoleView, VerifiedKey } from '../api/types';
import { StatusBadge } from '../components/badges';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorNote } from '../components/error-note';
import { IssueKeyModal } from '../components/issue-key-form';
import { useLoad } from '../components/use-load';
import { count, dateTime, plural } from '../format';
import { api } from '../session';
import { LoadMore, usePagedList } from '../components/paged-list';
import './admin-pages.css';
import { MemberFormModal, type Grant } from './member-form';
import { MemberKeysModal } from './member-keys';

type MemberStatusFilter = 'active' | 'removed' | 'all';

type Dialog =
  | { kind: 'add' }
  | { kind: 'grants'; member: MemberView }
  | { kind: 'remove'; member: MemberView }
  | { kind: 'issue'; member: MemberView }
  | { kind: 'keys'; member: MemberView }
  | null;

const PAGE_SIZE = 100;

const sameGrants = (a: Grant[], b: Grant[]) =>
  a.length === b.length && a.every((g, i) => g.resource === b[i].resource && g.role === b[i].role);

/** Org admins: the members, their org role and grants, their keys; add, change, remove. */
export function MembersPage({ identity }: { identity: VerifiedKey }) {
  const [status, setStatus] = useState<MemberStatusFilter>('active');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<string | null>(null);
  const list = usePagedList<MemberView>(
    (cursor) => api.get<Page<MemberView>>(PATHS.members, { status, limit: PAGE_SIZE, cursor }),
    [status],
  );
  const roles = useLoad(() => api.get<{ items: RoleView[] }>(PATHS.roles), []);
  const admin = identity.orgAdmin;
  const open = (next: Dialog) => {
    setDone(null);
    setDialog(next);
  };
  const close = () => setDialog(null);

  return (
    <section>
      <div class="page-head">
        <h1>Members</h1>
        {admin ? (
          <div class="buttons">
            <button type="button" class="primary" onClick={() => open({ kind: 'add' })}>
              Add a member
            </button>
          </div>
        ) : null}
      </div>
      <p class="muted">
        A member acts on each resource with the role granted there; an org admin also manages
        members, roles and the policy. Keyward has no login of its own: a new member&apos;s first
        key is issued here.
      </p>
      {done ? (
        <p class="success" role="status">
          {done}
        </p>
      ) : null}
      <div class="toolbar">
        <label class="field inline">
          <span>Status</span>
          <select
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as MemberStatusFilter)}
          >
            <option value="active">Active</option>
            <option value="removed">Removed</option>
            <option value="all">All</option>
          </select>
        </label>
      </div>
      {list.error ? (
        <ErrorNote error={list.error} />
      ) : list.loading && list.items.length === 0 ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : list.items.length === 0 ? (
        <p class="empty">{status === 'all' ? 'No members.' : `No ${status} members.`}</p>
      ) : (
        <>
          {list.loading ? (
            <p class="muted" role="status">
              Loading…
            </p>
          ) : null}
          <MembersTable members={list.items} onAction={open} />
          <LoadMore list={list} />
        </>
      )}

      {dialog?.kind === 'add' ? (
        <MemberFormModal
          roles={roles.data?.items}
          rolesError={roles.error}
          onClose={close}
          onSaved={(saved) => {
            close();
            setDone(`Added ${saved.displayName} (${saved.userId}). Issue them a key to sign in.`);
            list.refresh((items) => items.some((m) => m.userId === saved.userId));
          }}
        />
      ) : null}
      {dialog?.kind === 'grants' ? (
        <MemberFormModal
          member={dialog.member}
          roles={roles.data?.items}
          rolesError={roles.error}
          onClose={close}
          onSaved={(saved) => {
            close();
            setDone(`Changed the grants of ${saved.displayName} (${saved.userId}).`);
            list.refresh((items) =>
              items.some(
                (m) =>
                  m.userId === saved.userId &&
                  m.orgRole === saved.orgRole &&
                  sameGrants(m.grants, saved.grants),
              ),
            );
          }}
        />
      ) : null}
      {dialog?.kind === 'remove' ? (
        <ConfirmModal
          title={`Remove ${dialog.member.displayName}?`}
          confirmLabel="Remove member"
          typeToConfirm={dialog.member.userId}
          onConfirm={async () => {
            const { userId, displayName } = dialog.member;
            await api.call<void>('DELETE', PATHS.member(userId));
            close();
            setDone(`Removed ${displayName} (${userId}); their personal keys are revoked.`);
            list.refresh(
              (items) => !items.some((m) => m.userId === userId && m.status === 'active'),
            );
          }}
          onClose={close}
        >
          <p>
            Removing <strong>{dialog.member.displayName}</strong> (
            <code>{dialog.member.userId}</code>) revokes all their personal keys (
            {plural(dialog.member.activeKeys, 'active key')}) in the same step: every verifier
            refuses them before this answers. It cannot be undone; their audit history stays.
          </p>
        </ConfirmModal>
      ) : null}
      {dialog?.kind === 'issue' ? (
        <IssueKeyModal
          title={`Issue a key for ${dialog.member.displayName}`}
          issue={(body) =>
            api.call<IssuedKeyReply>('POST', PATHS.memberKeys(dialog.member.userId), body)
          }
          onClose={close}
          onIssued={() => {
            const { userId, activeKeys } = dialog.member;
            list.refresh((items) =>
              items.some((m) => m.userId === userId && m.activeKeys > activeKeys),
            );
          }}
        />
      ) : null}
      {dialog?.kind === 'keys' ? (
        <MemberKeysModal
          member={dialog.member}
          onClose={(changed) => {
            close();
            // A key was revoked or rotated there: the active-key counts are read again.
            if (changed) list.refresh();
          }}
        />
      ) : null}
    </section>
  );
}

function MembersTable({
  members,
  onAction,
}: {
  members: MemberView[];
  onAction: (dialog: Dialog) => void;
}) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Members">
      <table class="members">
        <caption class="sr-only">Members</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">User id</th>
            <th scope="col">Org role</th>
            <th scope="col">Grants</th>
            <th scope="col">Status</th>
            <th scope="col">Active keys</th>
            <th scope="col">Added</th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId} data-user-id={member.userId}>
              <th scope="row">{member.displayName}</th>
              <td>
                <code>{member.userId}</code>
              </td>
              <td>{member.orgRole === 'admin' ? <strong>admin</strong> : 'member'}</td>
              <td>
                {member.grants.length === 0 ? (
                  <span class="muted">none</span>
                ) : (
                  <ul class="grant-list">
                    {member.grants.map((grant) => (
                      <li key={grant.resource} title={grant.permissions.join(', ')}>
                        <code>{grant.resource}</code> <span aria-hidden="true">→</span>
                        <span class="sr-only">:</span> {grant.role}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <StatusBadge status={member.status} />
                {member.removed !== null ? (
                  <div class="muted small">{dateTime(member.removed)}</div>
                ) : null}
              </td>
              <td>{count(member.activeKeys)}</td>
              <td>{dateTime(member.added)}</td>
              <td>
                <div class="row-actions">
                  <button
                    type="button"
                    class="small"
                    onClick={() => onAction({ kind: 'keys', member })}
                    aria-label={`Keys of ${member.displayName}`}
                  >
                    Keys
                  </button>
                  {member.status === 'active' ? (
                    <>
                      <button
                        type="button"
                        class="small"
                        onClick={() => onAction({ kind: 'issue', member })}
                        aria-label={`Issue key for ${member.displayName}`}
                      >
                        Issue key
                      </button>
                      <button
                        type="button"
                        class="small"
                        onClick={() => onAction({ kind: 'grants', member })}
                        aria-label={`Change grants of ${member.displayName}`}
                      >
                        Change grants
                      </button>
                      <button
                        type="button"
                        class="small danger"
                        onClick={() => onAction({ kind: 'remove', member })}
                        aria-label={`Remove ${member.displayName}`}
                      >
                        Remove
                      </button>
                    </>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
