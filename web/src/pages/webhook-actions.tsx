import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { WebhookEndpointView } from '../api/types';
import { ConfirmModal } from '../components/confirm-modal';
import { ErrorNote } from '../components/error-note';
import { useSubmit } from '../components/use-load';
import { dateTime } from '../format';
import { api } from '../session';
import { WebhookFormModal } from './webhook-form';

/** What a change should make the notifier's view of the endpoint look like (undefined: gone). */
export type Shows = (endpoint: WebhookEndpointView | undefined) => boolean;

type Dialog =
  | { kind: 'edit'; endpoint: WebhookEndpointView }
  | { kind: 'disable'; endpoint: WebhookEndpointView }
  | { kind: 'delete'; endpoint: WebhookEndpointView }
  | null;

const sameEndpoint =
  (saved: WebhookEndpointView): Shows =>
  (shown) =>
    shown !== undefined &&
    shown.url === saved.url &&
    shown.description === saved.description &&
    JSON.stringify(shown.eventTypes) === JSON.stringify(saved.eventTypes);

/** "enabled" or "disabled"; Keyward's own disabling of a failing endpoint stands out. */
export function EndpointStatus({ endpoint }: { endpoint: WebhookEndpointView }) {
  if (endpoint.status === 'enabled') return <span class="badge status-enabled">enabled</span>;
  if (endpoint.disabledReason !== 'failing') {
    return <span class="badge status-disabled">disabled</span>;
  }
  return (
    <span class="failing">
      <span class="badge status-failing">disabled: failing</span>
      {endpoint.failingSince !== null ? (
        <span class="small">failing since {dateTime(endpoint.failingSince)}</span>
      ) : null}
    </span>
  );
}

/**
 * Edit, disable, enable and delete an endpoint, wherever it is shown. `changed` is told what the
 * notifier's view should show once it has caught up; `deleted` (the endpoint's own page) leaves.
 */
export function useEndpointActions(
  changed: (endpointId: string, shows: Shows) => void,
  deleted?: (endpoint: WebhookEndpointView) => Promise<void>,
) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const close = () => setDialog(null);
  const done = (message: string, endpointId: string, shows: Shows) => {
    setDialog(null);
    setNotice(message);
    changed(endpointId, shows);
  };
  const enable = useSubmit(async (endpoint: WebhookEndpointView) => {
    setNotice(null);
    await api.call<WebhookEndpointView>('POST', PATHS.enableWebhook(endpoint.id), {});
    done(`Enabled ${endpoint.url}.`, endpoint.id, (shown) => shown?.status === 'enabled');
  });
  const open = (next: Dialog) => {
    setNotice(null);
    enable.setError(null);
    setDialog(next);
  };

  const buttons = (endpoint: WebhookEndpointView) => (
    <div class="row-actions">
      <button
        type="button"
        class="small"
        onClick={() => open({ kind: 'edit', endpoint })}
        aria-label={`Change ${endpoint.url}`}
      >
        Change
      </button>
      {endpoint.status === 'enabled' ? (
        <button
          type="button"
          class="small"
          onClick={() => open({ kind: 'disable', endpoint })}
          aria-label={`Disable ${endpoint.url}`}
        >
          Disable
        </button>
      ) : (
        <button
          type="button"
          class="small"
          disabled={enable.busy}
          onClick={() => void enable.run(endpoint)}
          aria-label={`Enable ${endpoint.url}`}
        >
          Enable
        </button>
      )}
      <button
        type="button"
        class="small danger"
        onClick={() => open({ kind: 'delete', endpoint })}
        aria-label={`Delete ${endpoint.url}`}
      >
        Delete
      </button>
    </div>
  );

  const feedback = (
    <>
      {notice ? (
        <p class="success" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorNote error={enable.error} />
    </>
  );

  const modal =
    dialog?.kind === 'edit' ? (
      <WebhookFormModal
        endpoint={dialog.endpoint}
        onClose={close}
        onSaved={(saved) => done('Saved.', saved.id, sameEndpoint(saved))}
      />
    ) : dialog?.kind === 'disable' ? (
      <ConfirmModal
        title="Disable this endpoint?"
        confirmLabel="Disable endpoint"
        onClose={close}
        onConfirm={async () => {
          const { id, url } = dialog.endpoint;
          await api.call<WebhookEndpointView>('POST', PATHS.disableWebhook(id), {});
          done(`Disabled ${url}.`, id, (shown) => shown?.status === 'disabled');
        }}
      >
        <p>
          Nothing more is sent to <strong class="endpoint-url">{dialog.endpoint.url}</strong>, and
          its pending deliveries are abandoned. You can enable it again later.
        </p>
      </ConfirmModal>
    ) : dialog?.kind === 'delete' ? (
      <ConfirmModal
        title="Delete this endpoint?"
        confirmLabel="Delete endpoint"
        onClose={close}
        onConfirm={async () => {
          const endpoint = dialog.endpoint;
          await api.call<void>('DELETE', PATHS.webhook(endpoint.id));
          if (deleted) return deleted(endpoint);
          done(`Deleted ${endpoint.url}.`, endpoint.id, (shown) => shown === undefined);
        }}
      >
        <p>
          <strong class="endpoint-url">{dialog.endpoint.url}</strong> gets nothing more and its
          pending deliveries are abandoned. Its secret is gone: registering the URL again makes a
          new one. The audit log keeps its history.
        </p>
      </ConfirmModal>
    ) : null;

  return { buttons, feedback, dialog: modal, setNotice };
}
