import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { IssuedKeyReply } from '../api/types';
import { dateTime } from '../format';
import { Modal } from './modal';

/** Seed 002's modal: the new secret once, a copy button, and the warning that it is the only time. */
export function SecretModal({
  issued,
  onClose,
  children,
}: {
  issued: IssuedKeyReply;
  onClose: () => void;
  /** More to say about the key (e.g. when the key it replaces stops working). */
  children?: ComponentChildren;
}) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    const secret = issued.secret ?? '';
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      // No clipboard API (plain http on another host): select it for Ctrl-C.
      field.current?.select();
      setCopied('no');
    }
  };
  return (
    <Modal title="Your new API key" onClose={onClose}>
      <p class="warning" role="note">
        Copy this key now. <strong>It will not be shown again</strong>: Keyward keeps only its hash.
      </p>
      {issued.secret ? (
        <div class="secret-row">
          <label for="new-secret">Secret</label>
          <input
            id="new-secret"
            ref={field}
            class="secret"
            readOnly
            value={issued.secret}
            onFocus={(event) => event.currentTarget.select()}
            data-testid="new-secret"
          />
          <button type="button" onClick={copy} autofocus>
            Copy
          </button>
        </div>
      ) : (
        <p>This answers a retried request; the secret was shown the first time only.</p>
      )}
      <p class="status-line" role="status">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'no'
            ? 'Selected: press Ctrl+C (⌘C) to copy.'
            : ''}
      </p>
      {children}
      <dl class="facts">
        <dt>Key id</dt>
        <dd>
          <code>{issued.keyId}</code>
        </dd>
        <dt>Hint</dt>
        <dd>
          <code>{issued.hint}</code>
        </dd>
        <dt>Expires</dt>
        <dd>{issued.expiresAt === null ? 'never' : dateTime(issued.expiresAt)}</dd>
      </dl>
      <div class="actions">
        <button type="button" class="primary" onClick={onClose}>
          I have stored it
        </button>
      </div>
    </Modal>
  );
}
