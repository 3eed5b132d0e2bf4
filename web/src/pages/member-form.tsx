import { useId, useRef, useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { MemberView, RoleView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { useSubmit } from '../components/use-load';
import { api } from '../session';
import './admin-pages.css';

export type OrgRole = 'admin' | 'member';

export interface Grant {
  resource: string;
  role: string;
}

/** A row of the grants editor: a local id keeps each row's inputs when another is removed. */
interface GrantRow extends Grant {
  row: number;
}

interface MemberReply {
  userId: string;
  displayName: string;
  orgRole: OrgRole;
  grants: Grant[];
}

/** Add a member (no `member`), or change one's org role and grants (PATCH replaces them). */
export function MemberFormModal({
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
