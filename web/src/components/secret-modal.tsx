import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { IssuedKeyReply } from '../api/types';
import { dateTime } from '../format';
import { Modal } from './modal';

interface ShownOnceProps {
  title: string;
  /** What the secret is: "Copy this key now." */
  noun: string;
  /** After "It will not be shown again": what Keyward keeps instead of the secret. */
  kept: string;
  /** Undefined when a retried request was answered without it. */
  secret: string | undefined;
  onClose: () => void;
  /** What to say before the facts (e.g. when the key it replaces stops working). */
  children?: ComponentChildren;
  /** The new thing's facts, as `<dt>`/`<dd>` pairs. */
  facts: ComponentChildren;
}

/** Seed 002's modal: a new secret once, a copy button, and the warning that it is the only time. */
export function ShownOnceModal(props: ShownOnceProps) {
  const { title, noun, kept, secret, onClose, children, facts } = props;
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret ?? '');
      setCopied('yes');
    } catch {
      // No clipboard API (plain http on another host): select it for Ctrl-C.
      field.current?.select();
      setCopied('no');
    }
  };
  return (
    <Modal title={title} onClose={onClose}>
      <p class="warning" role="note">
        Copy this {noun} now. <strong>It will not be shown again</strong>: {kept}
      </p>
      {secret ? (
        <div class="secret-row">
          <label for="new-secret">Secret</label>
          <input
            id="new-secret"
            ref={field}
            class="secret"
            readOnly
            value={secret}
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
      <dl class="facts">{facts}</dl>
      <div class="actions">
        <button type="button" class="primary" onClick={onClose}>
          I have stored it
        </button>
      </div>
    </Modal>
  );
}

/** A new API key's secret, once. */
export function SecretModal({
  issued,
  onClose,
  children,
}: {
  issued: IssuedKeyReply;
  onClose: () => void;
  children?: ComponentChildren;
}) {
  return (
    <ShownOnceModal
      title="Your new API key"
      noun="key"
      kept="Keyward keeps only its hash."
      secret={issued.secret}
      onClose={onClose}
      facts={
        <>
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
        </>
      }
    >
      {children}
    </ShownOnceModal>
  );
}
