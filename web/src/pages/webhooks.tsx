import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { Page, WebhookEndpointView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { LoadMore, usePagedList } from '../components/paged-list';
import { dateTime, plural, relative } from '../format';
import { href } from '../router';
import { api } from '../session';
import { describeEvents } from './webhook-events';
import { WebhookFormModal } from './webhook-form';
import { EndpointStatus, useEndpointActions } from './webhook-actions';
import './webhooks.css';

/**
 * Org admins: the webhook endpoints, newest first. The list is the notifier's, which follows the
 * store a moment behind a command's answer, so after a change it reads again until it shows.
 */
export function WebhooksPage() {
  const [registering, setRegistering] = useState(false);
  const list = usePagedList<WebhookEndpointView>(
    (cursor) => api.get<Page<WebhookEndpointView>>(PATHS.webhooks, { limit: 50, cursor }),
    [],
  );
  const actions = useEndpointActions((endpointId, shows) =>
    list.refresh((items) => shows(items.find((endpoint) => endpoint.id === endpointId))),
  );
  const failing = list.items.filter((endpoint) => endpoint.disabledReason === 'failing');
  return (
    <section>
      <div class="page-head">
        <h1>Webhooks</h1>
        <button
          type="button"
          class="primary"
          onClick={() => {
            actions.setNotice(null);
            setRegistering(true);
          }}
        >
          Register endpoint
        </button>
      </div>
      <p class="muted">
        Keyward POSTs each lifecycle notification (a key revoked, an account deleted, …) to these
        URLs, signed with the endpoint&apos;s secret, and retries for a day. An endpoint whose
        deliveries keep failing for a day is disabled.
      </p>
      {failing.length > 0 ? (
        <div class="error failing-note" role="alert">
          <p>
            <strong>
              {plural(failing.length, 'endpoint')} disabled because deliveries kept failing.
            </strong>{' '}
            Fix the receiver, then enable {failing.length === 1 ? 'it' : 'them'} again.
          </p>
        </div>
      ) : null}
      {actions.feedback}
      <ErrorNote error={list.error} />
      {list.loading && list.items.length === 0 ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : null}
      {!list.loading && !list.error && list.items.length === 0 ? (
        <p class="empty">No webhook endpoints yet.</p>
      ) : null}
      {list.items.length > 0 ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Webhook endpoints">
          <table class="webhooks">
            <caption class="sr-only">Webhook endpoints</caption>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Status</th>
                <th scope="col">Events</th>
                <th scope="col">Last delivery</th>
                <th scope="col">Registered</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((endpoint) => (
                <tr key={endpoint.id} data-endpoint-id={endpoint.id}>
                  <th scope="row">
                    <a class="endpoint-url" href={href(`webhooks/${endpoint.id}`)}>
                      {endpoint.url}
                    </a>
                    {endpoint.description ? (
                      <div class="muted small">{endpoint.description}</div>
                    ) : null}
                  </th>
                  <td>
                    <EndpointStatus endpoint={endpoint} />
                  </td>
                  <td class="events-cell">{describeEvents(endpoint.eventTypes)}</td>
                  <td>
                    {endpoint.lastDeliveryAt === null ? (
                      <span class="muted">none yet</span>
                    ) : (
                      <>
                        <span class={`badge status-${endpoint.lastDeliveryStatus}`}>
                          {endpoint.lastDeliveryStatus}
                        </span>{' '}
                        <span title={dateTime(endpoint.lastDeliveryAt)}>
                          {relative(endpoint.lastDeliveryAt)}
                        </span>
                      </>
                    )}
                  </td>
                  <td>{dateTime(endpoint.createdAt)}</td>
                  <td>{actions.buttons(endpoint)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <LoadMore list={list} />
      {registering ? (
        <WebhookFormModal
          onClose={() => setRegistering(false)}
          onSaved={(saved) => {
            actions.setNotice(`Registered ${saved.url}.`);
            list.refresh((items) => items.some((endpoint) => endpoint.id === saved.id));
          }}
        />
      ) : null}
      {actions.dialog}
    </section>
  );
}
