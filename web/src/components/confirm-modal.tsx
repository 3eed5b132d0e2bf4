import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { FormModal } from './form-modal';
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
    <FormModal
      title={props.title}
      onClose={props.onClose}
      submit={submit}
      submitLabel={props.confirmLabel}
      busyLabel="Working…"
      danger
      disabled={!ready}
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
    </FormModal>
  );
}
