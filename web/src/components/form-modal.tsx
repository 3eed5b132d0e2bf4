import type { ComponentChildren } from 'preact';
import { ErrorNote } from './error-note';
import { Modal } from './modal';

interface FormModalProps {
  title: string;
  onClose: () => void;
  /** The form's submit (useSubmit): busy while it runs, its refusal shown above the buttons. */
  submit: { busy: boolean; error: unknown; run: () => Promise<void> };
  submitLabel: string;
  busyLabel?: string;
  /** A destructive action gets the red button. */
  danger?: boolean;
  /** The submit button stays disabled (e.g. until the name is typed). */
  disabled?: boolean;
  children: ComponentChildren;
}

/** A dialog around one form: its fields, the API's refusal, Cancel and the submit button. */
export function FormModal(props: FormModalProps) {
  const { busy } = props.submit;
  return (
    <Modal title={props.title} onClose={props.onClose} busy={busy}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!props.disabled && !busy) void props.submit.run();
        }}
      >
        {props.children}
        <ErrorNote error={props.submit.error} />
        <div class="actions">
          <button type="button" onClick={props.onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            class={props.danger ? 'danger' : 'primary'}
            disabled={busy || props.disabled}
          >
            {busy ? (props.busyLabel ?? 'Working…') : props.submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
