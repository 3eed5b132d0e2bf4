import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { OrganizationPolicyReply, RoleView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { useLoad, useSubmit } from '../components/use-load';
import { count, plural } from '../format';
import { api } from '../session';
import {
  ExpiryNoticeField,
  noticeInputOf,
  noticeSecondsOf,
  noticeText,
} from './expiry-notice-field';
import { DurationFields } from './duration-fields';
import { inUnits, UNIT_SECONDS, type Unit } from './policy-units';
import './admin-pages.css';

const BOUNDS = {
  maxActiveKeys: { min: 1, max: 10_000 },
  lifetimeSeconds: { min: 60, max: 3_153_600_000 },
};

function lifetimeText(seconds: number | null): string {
  if (seconds === null) return 'no limit';
  const { amount, unit } = inUnits(seconds);
  const text = plural(amount, unit.slice(0, -1));
  return unit === 'seconds' || unit === 'minutes' ? text : `${text} (${count(seconds)} seconds)`;
}

function rolesText(roles: string[] | null): string {
  if (roles === null) return 'any role';
  if (roles.length === 0) return 'none (no service account can be created)';
  return roles.join(', ');
}

/** The organization's key policy: shown, and changed by org admins. */
export function PolicyPage() {
  const policy = useLoad(() => api.get<OrganizationPolicyReply>(PATHS.policy), []);
  const roles = useLoad(() => api.get<{ items: RoleView[] }>(PATHS.roles), []);
  // The PUT's answer is the policy as saved; the read model may follow a moment later.
  const [saved, setSaved] = useState<OrganizationPolicyReply | null>(null);
  const [generation, setGeneration] = useState(0);
  const current = saved ?? policy.data;
  return (
    <section>
      <div class="page-head">
        <h1>Key policy</h1>
      </div>
      <p class="muted">
        Limits on every key of the organization&apos;s members and service accounts, checked when a
        key is issued, and the roles a service account may be given.
      </p>
      {policy.error ? (
        <ErrorNote error={policy.error} />
      ) : !current ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : (
        <>
          {saved ? (
            <div class="success" role="status">
              <p>
                Policy saved: at most {plural(saved.maxActiveKeysPerPrincipal, 'active key')} per
                member or service account; longest key lifetime{' '}
                {lifetimeText(saved.maxKeyLifetimeSeconds)}; service account roles{' '}
                {rolesText(saved.allowedServiceAccountRoles)}; warning before a key expires{' '}
                {noticeText(saved.expiryNoticeSeconds)}.
              </p>
            </div>
          ) : null}
          <h2>Current policy</h2>
          <dl class="facts policy-facts">
            <dt>Most active keys per member or service account</dt>
            <dd>{count(current.maxActiveKeysPerPrincipal)}</dd>
            <dt>Longest key lifetime</dt>
            <dd>{lifetimeText(current.maxKeyLifetimeSeconds)}</dd>
            <dt>Roles service accounts may have</dt>
            <dd>{rolesText(current.allowedServiceAccountRoles)}</dd>
            <dt>Warning before a key expires</dt>
            <dd>{noticeText(current.expiryNoticeSeconds)}</dd>
          </dl>
          <PolicyForm
            key={generation}
            policy={current}
            roles={roles.data?.items}
            rolesError={roles.error}
            onSaved={(reply) => {
              setSaved(reply);
              setGeneration((n) => n + 1);
            }}
            onEdit={() => setSaved(null)}
          />
        </>
      )}
    </section>
  );
}

function PolicyForm({
  policy,
  roles,
  rolesError,
  onSaved,
  onEdit,
}: {
  policy: OrganizationPolicyReply;
  roles: RoleView[] | undefined;
  rolesError: unknown;
  onSaved: (reply: OrganizationPolicyReply) => void;
  onEdit: () => void;
}) {
  const initial =
    policy.maxKeyLifetimeSeconds === null ? null : inUnits(policy.maxKeyLifetimeSeconds);
  const [maxKeys, setMaxKeys] = useState(String(policy.maxActiveKeysPerPrincipal));
  const [noLimit, setNoLimit] = useState(policy.maxKeyLifetimeSeconds === null);
  const [amount, setAmount] = useState(initial ? String(initial.amount) : '90');
  const [unit, setUnit] = useState<Unit>(initial?.unit ?? 'days');
  const [anyRole, setAnyRole] = useState(policy.allowedServiceAccountRoles === null);
  const [allowed, setAllowed] = useState<string[]>(policy.allowedServiceAccountRoles ?? []);
  const [notice, setNotice] = useState(noticeInputOf(policy.expiryNoticeSeconds));
  // Every role the organization has, and any the policy names that the list lacks.
  const roleNames = [
    ...(roles ?? []).map((role) => role.name),
    ...allowed.filter((name) => !roles?.some((role) => role.name === name)),
  ];
  const submit = useSubmit(async () => {
    const body: OrganizationPolicyReply = {
      maxActiveKeysPerPrincipal: Number(maxKeys),
      maxKeyLifetimeSeconds: noLimit ? null : Number(amount) * UNIT_SECONDS[unit],
      allowedServiceAccountRoles: anyRole
        ? null
        : roleNames.filter((name) => allowed.includes(name)),
      expiryNoticeSeconds: noticeSecondsOf(notice),
    };
    onSaved(await api.call<OrganizationPolicyReply>('PUT', PATHS.policy, body));
  });
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      onEdit();
      set(value);
    };
  return (
    <form
      class="policy-form"
      aria-labelledby="policy-form-title"
      onSubmit={(event) => {
        event.preventDefault();
        void submit.run();
      }}
    >
      <h2 id="policy-form-title">Change the policy</h2>
      <label class="field">
        <span>Most active keys per member or service account</span>
        <input
          type="number"
          inputMode="numeric"
          required
          min={BOUNDS.maxActiveKeys.min}
          max={BOUNDS.maxActiveKeys.max}
          step={1}
          value={maxKeys}
          onInput={(event) => edit(setMaxKeys)(event.currentTarget.value)}
        />
      </label>
      <p class="muted small">
        {count(BOUNDS.maxActiveKeys.min)} to {count(BOUNDS.maxActiveKeys.max)}. Issuing one more key
        is refused at the limit.
      </p>

      <fieldset class="lifetime">
        <legend>Longest key lifetime</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={noLimit}
            onChange={(event) => edit(setNoLimit)(event.currentTarget.checked)}
          />
          <span>No limit</span>
        </label>
        {noLimit ? null : (
          <DurationFields
            label="Lifetime"
            unitLabel="Unit"
            amount={amount}
            unit={unit}
            onAmount={edit(setAmount)}
            onUnit={edit(setUnit)}
          />
        )}
        <p class="muted small">
          One minute to 100 years. With a limit, a key issued without an expiry expires at the
          limit, and a later expiry is refused.
        </p>
      </fieldset>

      <fieldset class="checks">
        <legend>Roles service accounts may have</legend>
        <label class="check">
          <input
            type="checkbox"
            checked={anyRole}
            onChange={(event) => edit(setAnyRole)(event.currentTarget.checked)}
          />
          <span>Any role</span>
        </label>
        {anyRole ? null : (
          <>
            <ErrorNote error={rolesError} />
            {!roles && !rolesError ? (
              <p class="muted" role="status">
                Loading…
              </p>
            ) : null}
            {roleNames.map((name) => (
              <label key={name} class="check">
                <input
                  type="checkbox"
                  checked={allowed.includes(name)}
                  onChange={(event) => {
                    const on = event.currentTarget.checked;
                    edit(setAllowed)(
                      on ? [...allowed, name] : allowed.filter((role) => role !== name),
                    );
                  }}
                />
                <span>{name}</span>
              </label>
            ))}
            {roles && allowed.length === 0 ? (
              <p class="warning">No role chosen: no service account could be created.</p>
            ) : null}
          </>
        )}
      </fieldset>

      <ExpiryNoticeField value={notice} onChange={edit(setNotice)} />

      <ErrorNote error={submit.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={submit.busy}>
          {submit.busy ? 'Saving…' : 'Save policy'}
        </button>
      </div>
    </form>
  );
}
