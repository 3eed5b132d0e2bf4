import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { RoleView, VerifiedKey } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { FormModal } from '../components/form-modal';
import { eventually, useLoad, useSubmit } from '../components/use-load';
import { api } from '../session';
import { defaultResourcesFor, parseResources, roleFits } from './grantable';
import { TextField } from '../components/text-field';

interface CreateProps {
  identity: VerifiedKey;
  onClose: () => void;
  onCreated: (id: string) => void;
}

/**
 * Seed 003's create dialog: name, description, role, resources, Basic Auth. It says which
 * roles the signed-in principal may grant on the chosen resources, yet lets any role be sent:
 * the API decides, and its least-privilege refusal is shown as it states it.
 */
export function CreateAccountModal({ identity, onClose, onCreated }: CreateProps) {
  const roles = useLoad(() => api.get<{ items: RoleView[] }>(PATHS.roles), []);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [role, setRole] = useState('reader');
  const [resourcesText, setResourcesText] = useState('');
  const [basicAuth, setBasicAuth] = useState(false);
  const submit = useSubmit(async () => {
    const body: Record<string, unknown> = { name: name.trim(), role, enableBasicAuth: basicAuth };
    if (description.trim()) body.description = description.trim();
    const resources = parseResources(resourcesText);
    if (resources.length > 0) body.resources = resources;
    const created = await api.call<{ id: string }>('POST', PATHS.accounts, body);
    // The read model shows it a moment after the create answers.
    await eventually(
      () => api.get(PATHS.account(created.id)),
      () => true,
    );
    onCreated(created.id);
  });
  const all = roles.data?.items ?? [];
  const resources = parseResources(resourcesText);
  const chosen = all.find((r) => r.name === role);
  const effective = resources.length > 0 ? resources : defaultResourcesFor(identity, chosen);
  const fits = roleFits(identity, all, effective.length > 0 ? effective : ['*']);
  const grantable = fits.filter((fit) => fit.shortOn.length === 0).map((fit) => fit.role.name);
  const chosenFit = fits.find((fit) => fit.role.name === role);
  return (
    <FormModal
      title="Create a service account"
      onClose={onClose}
      submit={submit}
      submitLabel="Create"
      busyLabel="Creating…"
    >
      <TextField label="Name" value={name} onValue={setName} required />
      <TextField
        label="Description (optional)"
        value={description}
        onValue={setDescription}
        limit="description"
      />
      <label class="field">
        <span>Resources (comma-separated; empty for every resource you hold this role on)</span>
        <input
          value={resourcesText}
          placeholder="db:analytics, db:billing"
          spellcheck={false}
          onInput={(event) => setResourcesText(event.currentTarget.value)}
          aria-describedby="resources-hint"
        />
      </label>
      <p class="hint" id="resources-hint">
        {resources.length === 0
          ? effective.length > 0
            ? `Without resources it gets: ${effective.join(', ')}.`
            : `You hold ${role} on no resource, so an account without resources would be refused.`
          : null}
      </p>
      <label class="field">
        <span>Role (fixed once created)</span>
        <select
          value={role}
          onChange={(event) => setRole(event.currentTarget.value)}
          aria-describedby="role-hint"
        >
          {all.map((r) => {
            const fit = fits.find((f) => f.role.name === r.name);
            const over = fit !== undefined && fit.shortOn.length > 0;
            return (
              <option key={r.name} value={r.name}>
                {r.name} ({r.permissions.join(', ')}){over ? ' — beyond what you may grant' : ''}
              </option>
            );
          })}
        </select>
      </label>
      <p class="hint" id="role-hint" data-testid="grantable-roles">
        {all.length === 0
          ? 'Loading roles…'
          : grantable.length > 0
            ? `On ${effective.length > 0 ? effective.join(', ') : 'these resources'} you may grant: ${grantable.join(', ')}.`
            : 'You may not grant any role on these resources.'}
        {chosenFit && chosenFit.shortOn.length > 0 ? (
          <strong class="warning-text">
            {' '}
            {role} exceeds your own permissions on {chosenFit.shortOn.join(', ')}.
          </strong>
        ) : null}
      </p>
      <label class="check">
        <input
          type="checkbox"
          checked={basicAuth}
          onChange={(event) => setBasicAuth(event.currentTarget.checked)}
        />
        <span>Accept HTTP Basic Auth (account id as user name, key as password)</span>
      </label>
      <ErrorNote error={roles.error} />
    </FormModal>
  );
}
