import { useId, useRef, useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type {
  IssuedKeyReply,
  KeyView,
  MemberView,
  Page,
  RoleView,
  VerifiedKey,
} from '../api/types';
import { StatusBadge } from '../components/badges';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorNote } from '../components/error-note';
import { IssueKeyModal } from '../components/issue-key-form';
import { KeysTable } from '../components/keys-table';
import { Modal } from '../components/modal';
import { useLoad, useSubmit } from '../components/use-load';
import { count, dateTime, plural } from '../format';
import { api } from '../session';
import { LoadMore, usePagedList } from '../components/paged-list';
import './admin-pages.css';

type MemberStatusFilter = 'active' | 'removed' | 'all';
type OrgRole = 'admin' | 'member';

interface Grant {
  resource: string;
  role: string;
}

/** A row of the grants editor: a local id keeps each row's inputs when another is removed. */
interface GrantRow extends Grant {
  row: number;
}

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
      {dialog?.kind === 'keys' ? <MemberKeysModal member={dialog.member} onClose={close} /> : null}
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

interface MemberReply {
  userId: string;
  displayName: string;
  orgRole: OrgRole;
  grants: Grant[];
}

/** Add a member (no `member`), or change one's org role and grants (PATCH replaces them). */
function MemberFormModal({
  member,
  roles,
  rolesError,
  onClose,
  onSaved,
}: {
  member?: MemberView;
  roles: RoleView[] | undefined;
  rolesError: unknown;
  onClose: () => void;
  onSaved: (saved: MemberReply) => void;
}) {
  const nextRow = useRef(0);
  const toRow = (grant: Grant): GrantRow => ({ ...grant, row: nextRow.current++ });
  const [userId, setUserId] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [orgRole, setOrgRole] = useState<OrgRole>(member?.orgRole ?? 'member');
  const [grants, setGrants] = useState<GrantRow[]>(() =>
    (member?.grants ?? []).map((g) => toRow({ resource: g.resource, role: g.role })),
  );
  const submit = useSubmit(async () => {
    const body = {
      orgRole,
      grants: grants.map((g) => ({ resource: g.resource.trim(), role: g.role })),
    };
    const saved = member
      ? await api.call<MemberReply>('PATCH', PATHS.member(member.userId), body)
      : await api.call<MemberReply>('POST', PATHS.members, {
          userId: userId.trim(),
          displayName,
          ...body,
        });
    onSaved(saved);
  });
  const title = member ? `Change the grants of ${member.displayName}` : 'Add a member';
  return (
    <Modal title={title} onClose={onClose} busy={submit.busy}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit.run();
        }}
      >
        {member ? (
          <p>
            The org role and grants below replace those of <strong>{member.displayName}</strong> (
            <code>{member.userId}</code>). Their keys act with the new grants at once.
          </p>
        ) : (
          <>
            <label class="field">
              <span>User id</span>
              <input
                value={userId}
                required
                maxLength={64}
                pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,63}"
                title="Letters, digits, _ and -; starting with a letter or digit"
                autoComplete="off"
                spellcheck={false}
                onInput={(event) => setUserId(event.currentTarget.value)}
              />
            </label>
            <label class="field">
              <span>Display name</span>
              <input
                value={displayName}
                required
                maxLength={100}
                onInput={(event) => setDisplayName(event.currentTarget.value)}
              />
            </label>
          </>
        )}
        <label class="field">
          <span>Org role</span>
          <select
            value={orgRole}
            onChange={(event) => setOrgRole(event.currentTarget.value as OrgRole)}
          >
            <option value="member">member</option>
            <option value="admin">admin (manages members, roles and the policy)</option>
          </select>
        </label>
        <GrantsEditor
          grants={grants}
          roles={roles}
          rolesError={rolesError}
          onChange={setGrants}
          newRow={() => toRow({ resource: '', role: roles?.[0]?.name ?? '' })}
        />
        <ErrorNote error={submit.error} />
        <div class="actions">
          <button type="button" onClick={onClose} disabled={submit.busy}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={submit.busy}>
            {submit.busy ? 'Saving…' : member ? 'Save grants' : 'Add member'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Rows of a resource and a role (from the organization's roles); add and remove rows. */
function GrantsEditor({
  grants,
  roles,
  rolesError,
  onChange,
  newRow,
}: {
  grants: GrantRow[];
  roles: RoleView[] | undefined;
  rolesError: unknown;
  onChange: (grants: GrantRow[]) => void;
  newRow: () => GrantRow;
}) {
  const hintId = useId();
  const update = (row: number, change: Partial<Grant>) =>
    onChange(grants.map((g) => (g.row === row ? { ...g, ...change } : g)));
  return (
    <fieldset class="grants-editor" aria-describedby={hintId}>
      <legend>Grants</legend>
      <p id={hintId} class="muted small">
        A role per resource, each resource at most once. <code>*</code> is every resource; a
        resource is an id like <code>db:analytics</code>. You can grant no more than you hold.
      </p>
      <ErrorNote error={rolesError} />
      {grants.length === 0 ? <p class="empty">No grants: this member can act on nothing.</p> : null}
      <ol class="grant-rows">
        {grants.map((grant, index) => {
          const known = roles?.some((r) => r.name === grant.role) ?? false;
          return (
            <li key={grant.row} class="grant-row">
              <label class="field">
                <span>
                  Resource<span class="sr-only"> of grant {index + 1}</span>
                </span>
                <input
                  value={grant.resource}
                  required
                  maxLength={200}
                  pattern="\*|[A-Za-z0-9][A-Za-z0-9_.:\/@\-]{0,199}"
                  title="* or an id like db:analytics"
                  autoComplete="off"
                  spellcheck={false}
                  onInput={(event) => update(grant.row, { resource: event.currentTarget.value })}
                />
              </label>
              <label class="field">
                <span>
                  Role<span class="sr-only"> of grant {index + 1}</span>
                </span>
                <select
                  value={grant.role}
                  required
                  onChange={(event) => update(grant.row, { role: event.currentTarget.value })}
                >
                  {grant.role === '' ? <option value="">Choose a role</option> : null}
                  {grant.role !== '' && !known ? (
                    <option value={grant.role}>{grant.role}</option>
                  ) : null}
                  {(roles ?? []).map((role) => (
                    <option key={role.name} value={role.name}>
                      {role.name} ({role.permissions.join(', ')})
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                class="small"
                aria-label={`Remove grant ${index + 1}${grant.resource ? ` (${grant.resource})` : ''}`}
                onClick={() => onChange(grants.filter((g) => g.row !== grant.row))}
              >
                Remove
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" class="small" onClick={() => onChange([...grants, newRow()])}>
        Add a grant
      </button>
    </fieldset>
  );
}

/** A member's personal keys (every status), page by page. */
function MemberKeysModal({ member, onClose }: { member: MemberView; onClose: () => void }) {
  const list = usePagedList<KeyView>(
    (cursor) =>
      api.get<Page<KeyView>>(PATHS.memberKeys(member.userId), { limit: PAGE_SIZE, cursor }),
    [member.userId],
  );
  return (
    <Modal title={`Keys of ${member.displayName}`} onClose={onClose}>
      <p class="muted">
        Personal keys of <code>{member.userId}</code>, in every status. The member revokes one under
        My keys (anyone holding it can revoke it by its value); removing the member revokes them
        all.
      </p>
      {list.error ? (
        <ErrorNote error={list.error} />
      ) : list.loading && list.items.length === 0 ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : (
        <>
          <KeysTable keys={list.items} label={`Keys of ${member.displayName}`} />
          <LoadMore list={list} />
        </>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Modal>
  );
}
