import { useState } from 'preact/hooks';
import type { IssuedKeyReply } from '../api/types';
import { epochOfLocal } from '../format';
import { FormModal } from './form-modal';
import { SecretModal } from './secret-modal';
import { useSubmit } from './use-load';
import { TextField } from './text-field';

interface IssueKeyProps {
  title: string;
  /** Sends `{name, description?, expiresAt?}` and answers the issued key (with its secret). */
  issue: (body: {
    name: string;
    description?: string;
    expiresAt?: number;
  }) => Promise<IssuedKeyReply>;
  onClose: () => void;
  /** Called once the key is issued (to reload the list behind the modal). */
  onIssued: (issued: IssuedKeyReply) => void;
}

/** Name, description and an optional expiry; then the secret, once (SecretModal). */
export function IssueKeyModal({ title, issue, onClose, onIssued }: IssueKeyProps) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [expires, setExpires] = useState('');
  const [issued, setIssued] = useState<IssuedKeyReply | null>(null);
  const submit = useSubmit(async () => {
    const body: { name: string; description?: string; expiresAt?: number } = { name: name.trim() };
    if (description.trim()) body.description = description.trim();
    const expiresAt = epochOfLocal(expires);
    if (expiresAt !== undefined) body.expiresAt = expiresAt;
    const reply = await issue(body);
    setIssued(reply);
    onIssued(reply);
  });
  if (issued) return <SecretModal issued={issued} onClose={onClose} />;
  return (
    <FormModal
      title={title}
      onClose={onClose}
      submit={submit}
      submitLabel="Issue key"
      busyLabel="Issuing…"
    >
      <TextField label="Name" value={name} onValue={setName} required />
      <TextField
        label="Description (optional)"
        value={description}
        onValue={setDescription}
        limit="description"
      />
      <label class="field">
        <span>Expires (optional; empty for never)</span>
        <input
          type="datetime-local"
          value={expires}
          onInput={(event) => setExpires(event.currentTarget.value)}
        />
      </label>
    </FormModal>
  );
}
