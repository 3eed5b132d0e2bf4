import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { Permission, RoleView, VerifiedKey } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { useLoad, useSubmit } from '../components/use-load';
import { dateTime } from '../format';
import { api } from '../session';
import './admin-pages.css';

const PERMISSIONS: Permission[] = ['read', 'execute', 'write', 'delete', 'admin'];

interface RoleList {
  items: RoleView[];
}

/** Every role of the organization, built-in then custom; org admins define custom ones. */
export function RolesPage({ identity }: { identity: VerifiedKey }) {
  const [defined, setDefined] = useState<string | null>(null);
  const roles = useLoad(() => api.get<RoleList>(PATHS.roles), []);
  const builtIn = roles.data?.items.filter((role) => role.builtIn) ?? [];
  const custom = roles.data?.items.filter((role) => !role.builtIn) ?? [];
  return (
    <section>
      <div class="page-head">
        <h1>Roles</h1>
      </div>
      <p class="muted">
        A role is a set of permissions. Members are granted a role per resource; a service account
        has one role on its resources.
      </p>
      {roles.error ? (
        <ErrorNote error={roles.error} />
      ) : !roles.data ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : (
        <>
          <h2>Built-in roles</h2>
          <RolesTable roles={builtIn} label="Built-in roles" empty="No built-in roles." />
          <h2>Custom roles</h2>
          <RolesTable
            roles={custom}
            label="Custom roles"
            empty="No custom roles yet."
            showDefined
          />
        </>
      )}
      {identity.orgAdmin ? (
        <DefineRoleForm
          done={defined}
          onDefined={(name) => {
            setDefined(name);
            // The read model shows the new role a moment after the command answers.
            roles.reload((list) => list.items.some((role) => role.name === name));
          }}
          onEdit={() => setDefined(null)}
        />
      ) : (
        <p class="muted">Only org admins define custom roles.</p>
      )}
    </section>
  );
}

function RolesTable({
  roles,
  label,
  empty,
  showDefined = false,
}: {
  roles: RoleView[];
  label: string;
  empty: string;
  showDefined?: boolean;
}) {
  if (roles.length === 0) return <p class="empty">{empty}</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table class="roles">
        <caption class="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Permissions</th>
            {showDefined ? <th scope="col">Defined</th> : null}
          </tr>
        </thead>
        <tbody>
          {roles.map((role) => (
            <tr key={role.name} data-role={role.name}>
              <th scope="row">
                <code>{role.name}</code>
              </th>
              <td>
                <ul class="permission-list">
                  {role.permissions.map((permission) => (
                    <li key={permission} class="badge">
                      {permission}
                    </li>
                  ))}
                </ul>
              </td>
              {showDefined ? <td>{dateTime(role.defined)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DefineRoleForm({
  done,
  onDefined,
  onEdit,
}: {
  done: string | null;
  onDefined: (name: string) => void;
  onEdit: () => void;
}) {
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<Permission[]>([]);
  const submit = useSubmit(async () => {
    const role = name.trim();
    // In the order the API lists them, whatever order they were ticked in.
    const permissions = PERMISSIONS.filter((p) => chosen.includes(p));
    await api.call('POST', PATHS.roles, { name: role, permissions });
    setName('');
    setChosen([]);
    onDefined(role);
  });
  const toggle = (permission: Permission, on: boolean) => {
    onEdit();
    setChosen((current) =>
      on ? [...current, permission] : current.filter((p) => p !== permission),
    );
  };
  return (
    <form
      class="define-role"
      aria-labelledby="define-role-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h2 id="define-role-title">Define a custom role</h2>
      <p class="role-note">
        A role is never edited once it is defined: to change what a role allows, define a new one
        and grant it instead.
      </p>
      <label class="field">
        <span>Role name</span>
        <input
          value={name}
          required
          maxLength={40}
          pattern="[a-z][a-z0-9_\-]{0,39}"
          title="Lower-case letters, digits, _ and -, starting with a letter"
          autoComplete="off"
          spellcheck={false}
          onInput={(event) => {
            onEdit();
            setName(event.currentTarget.value);
          }}
        />
      </label>
      <p class="muted small">
        Lower-case letters, digits, <code>_</code> and <code>-</code>, starting with a letter; not
        the name of a built-in role.
      </p>
      <fieldset class="checks">
        <legend>Permissions</legend>
        {PERMISSIONS.map((permission) => (
          <label key={permission} class="check">
            <input
              type="checkbox"
              checked={chosen.includes(permission)}
              onChange={(event) => toggle(permission, event.currentTarget.checked)}
            />
            <span>{permission}</span>
          </label>
        ))}
      </fieldset>
      <ErrorNote error={submit.error} />
      {done ? (
        <p class="success" role="status">
          Role <code>{done}</code> defined.
        </p>
      ) : null}
      <div class="actions">
        <button
          type="submit"
          class="primary"
          disabled={submit.busy || chosen.length === 0 || name.trim() === ''}
        >
          {submit.busy ? 'Defining…' : 'Define role'}
        </button>
      </div>
    </form>
  );
}
