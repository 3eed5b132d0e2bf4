import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** Set while a request is in flight: Escape does nothing then. */
  busy?: boolean;
}

/**
 * A modal `<dialog>`: the browser makes the rest of the page inert (focus stays inside, screen
 * readers see only the dialog), Escape closes it, and focus goes back to where it was.
 */
export function Modal({ title, onClose, children, busy = false }: ModalProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const busyRef = useRef(busy);
  busyRef.current = busy;
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const element = dialog.current!;
    element.showModal();
    const first = element.querySelector<HTMLElement>(
      '[autofocus], input, select, textarea, button',
    );
    first?.focus();
    const cancel = (event: Event) => {
      event.preventDefault();
      if (!busyRef.current) onClose();
    };
    element.addEventListener('cancel', cancel);
    return () => {
      element.removeEventListener('cancel', cancel);
      if (element.open) element.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog ref={dialog} class="modal" aria-labelledby={titleId}>
      <header class="modal-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon" aria-label="Close" disabled={busy} onClick={onClose}>
          ×
        </button>
      </header>
      {children}
    </dialog>
  );
}
