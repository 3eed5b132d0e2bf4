import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { RevocationReply } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { Modal } from '../components/modal';
import { useSubmit } from '../components/use-load';
import { api } from '../session';

/** Seed 000's dialog: "enter the API key you'd like to revoke", from anywhere in the console. */
export function RevokeByValueModal({ onClose }: { onClose: () => void }) {
  const [key, setKey] = useState('');
  const [reason, setReason] = useState<'manual' | 'leaked'>('manual');
  const [revoked, setRevoked] = useState<string[] | null>(null);
  const submit = useSubmit(async () => {
    const reply = await api.call<RevocationReply>('POST', PATHS.revokeByValue, {
      key: key.trim(),
      reason,
    });
    setKey('');
    setRevoked(reply.revokedKeyIds);
  });
  return (
    <Modal title="Revoke a key by its value" onClose={onClose} busy={submit.busy}>
      {revoked ? (
        <>
          <p role="status" class="success">
            Revoked{' '}
            {revoked.map((id) => (
              <code key={id}>{id}</code>
            ))}
            . It is refused everywhere from now on.
          </p>
          <div class="actions">
            <button type="button" class="primary" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit.run();
          }}
        >
          <p>
            Paste the API key you would like to revoke. Every node refuses it before this dialog
            says so.
          </p>
          <label class="field">
            <span>API key</span>
            <input
              type="password"
              autoComplete="off"
              spellcheck={false}
              required
              value={key}
              onInput={(event) => setKey(event.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>Why</span>
            <select
              value={reason}
              onChange={(event) => setReason(event.currentTarget.value as 'manual' | 'leaked')}
            >
              <option value="manual">No longer needed</option>
              <option value="leaked">It leaked</option>
            </select>
          </label>
          <ErrorNote error={submit.error} />
          <div class="actions">
            <button type="button" onClick={onClose} disabled={submit.busy}>
              Cancel
            </button>
            <button type="submit" class="danger" disabled={submit.busy || key.trim() === ''}>
              {submit.busy ? 'Revoking…' : 'Revoke key'}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
