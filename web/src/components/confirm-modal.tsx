import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ErrorNote } from './error-note';
import { Modal } from './modal';
import { useSubmit } from './use-load';

interface ConfirmProps {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  /** When set, the button stays disabled until exactly this text is typed. */
  typeToConfirm?: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** A destructive action, confirmed; the API's refusal shown in place. */
export function ConfirmModal(props: ConfirmProps) {
  const [typed, setTyped] = useState('');
  const submit = useSubmit(props.onConfirm);
  const ready = props.typeToConfirm === undefined || typed === props.typeToConfirm;
  return (
    <Modal title={props.title} onClose={props.onClose} busy={submit.busy}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (ready) void submit.run();
        }}
      >
        {props.children}
        {props.typeToConfirm !== undefined ? (
          <label class="field">
            <span>
              Type <strong>{props.typeToConfirm}</strong> to confirm
            </span>
            <input
              value={typed}
              autoComplete="off"
              spellcheck={false}
              onInput={(event) => setTyped(event.currentTarget.value)}
            />
          </label>
        ) : null}
        <ErrorNote error={submit.error} />
        <div class="actions">
          <button type="button" onClick={props.onClose} disabled={submit.busy}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={!ready || submit.busy}>
            {submit.busy ? 'Working…' : props.confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
