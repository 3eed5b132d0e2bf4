import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { KeyView, RotatedKeyReply } from '../api/types';
import { FormModal } from '../components/form-modal';
import { SecretModal } from '../components/secret-modal';
import { useSubmit } from '../components/use-load';
import { dateTime } from '../format';
import { api } from '../session';
import { TextField } from '../components/text-field';

interface RotateProps {
  /** The key's rotate path: a service account's key, your own, or a member's. */
  path: string;
  old: KeyView;
  /** Said above the fields (e.g. that this is the key the console is signed in with). */
  children?: ComponentChildren;
  onClose: () => void;
  /** Called with the reply once the successor exists (to reload the keys behind the modal). */
  onRotated: (reply: RotatedKeyReply) => void;
}

/**
 * Rule 10 (seed 004, "rotate without downtime"): issue the key's successor and end the old key
 * after a grace period, in one step. Both work during the grace (an account's usage charts show
 * the traffic moving over). The successor's secret is shown once. The same dialog rotates a
 * service account's key, your own and, as org admin, a member's: only the path differs.
 */
export function RotateKeyModal({ path, old, children, onClose, onRotated }: RotateProps) {
  const [hours, setHours] = useState('24');
  const [name, setName] = useState(old.name);
  const [rotated, setRotated] = useState<RotatedKeyReply | null>(null);
  const submit = useSubmit(async () => {
    const graceSeconds = Math.round(Number(hours) * 3600);
    const body: Record<string, unknown> = { graceSeconds };
    if (name.trim()) body.name = name.trim();
    const reply = await api.call<RotatedKeyReply>('POST', path, body);
    setRotated(reply);
    onRotated(reply);
  });
  if (rotated) {
    return (
      <SecretModal issued={rotated} onClose={onClose}>
        <p class="hint" role="note">
          The old key <code>{old.hint}</code> keeps working until{' '}
          <strong>{dateTime(rotated.previous.expiresAt)}</strong>. Move every caller to this one
          before then.
        </p>
      </SecretModal>
    );
  }
  return (
    <FormModal
      title={`Rotate ${old.name || old.hint}`}
      onClose={onClose}
      submit={submit}
      submitLabel="Rotate key"
      busyLabel="Rotating…"
    >
      <p>
        A new key replaces <code>{old.hint}</code>. Both work during the grace period; then the old
        one is refused everywhere.
      </p>
      {children}
      <label class="field">
        <span>Grace period (hours; 0 ends the old key now)</span>
        <input
          type="number"
          min={0}
          step="any"
          required
          value={hours}
          onInput={(event) => setHours(event.currentTarget.value)}
        />
      </label>
      <TextField label="Name of the new key" value={name} onValue={setName} />
    </FormModal>
  );
}
