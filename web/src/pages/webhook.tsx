import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { Page, WebhookDeliveryView, WebhookEndpointView } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { LoadMore, usePagedList } from '../components/paged-list';
import { eventually, useLoad } from '../components/use-load';
import { dateTime, preciseTime } from '../format';
import { href, navigate } from '../router';
import { api } from '../session';
import { EndpointStatus, useEndpointActions } from './webhook-actions';
import { describeEvents } from './webhook-events';
import './webhooks.css';

const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'abandoned'] as const;

/** One endpoint: its facts, the actions on it, and its delivery log with every attempt. */
export function WebhookPage({ id }: { id: string }) {
  const endpoint = useLoad(() => api.get<WebhookEndpointView>(PATHS.webhook(id)), [id]);
  const [status, setStatus] = useState('');
  const deliveries = usePagedList<WebhookDeliveryView>(
    (cursor) =>
      api.get<Page<WebhookDeliveryView>>(PATHS.webhookDeliveries(id), {
        status: status || undefined,
        limit: 50,
        cursor,
      }),
    [id, status],
  );
  const actions = useEndpointActions(
    (_endpointId, shows) => endpoint.reload((shown) => shows(shown)),
    async (gone) => {
      // The list is the notifier's: leave once it no longer shows the endpoint.
      await eventually(
        () => api.get<Page<WebhookEndpointView>>(PATHS.webhooks, { limit: 100 }),
        (page) => !page.items.some((endpoint) => endpoint.id === gone.id),
      );
      navigate('webhooks');
    },
  );
  const e = endpoint.data;
  const back = (
    <p>
      <a href={href('webhooks')}>← Webhooks</a>
    </p>
  );
  if (!e) {
    return (
      <section>
        {back}
        <h1>Webhook endpoint</h1>
        {endpoint.error ? <ErrorNote error={endpoint.error} /> : <p>Loading…</p>}
      </section>
    );
  }
  return (
    <section>
      {back}
      <div class="page-head">
        <h1 class="endpoint-title">
          <span class="endpoint-url">{e.url}</span> <EndpointStatus endpoint={e} />
        </h1>
        {actions.buttons(e)}
      </div>
      {e.disabledReason === 'failing' ? (
        <div class="error failing-note" role="alert">
          <p>
            <strong>Keyward disabled this endpoint because its deliveries kept failing</strong>
            {e.failingSince !== null ? ` since ${dateTime(e.failingSince)}` : ''}. Fix the receiver
            (see the errors below), then enable it again.
          </p>
        </div>
      ) : null}
      {actions.feedback}
      {e.description ? <p>{e.description}</p> : null}
      <dl class="facts">
        <dt>Id</dt>
        <dd>
          <code>{e.id}</code>
        </dd>
        <dt>Events</dt>
        <dd>{describeEvents(e.eventTypes)}</dd>
        <dt>Registered</dt>
        <dd>{dateTime(e.createdAt)}</dd>
        <dt>Changed</dt>
        <dd>{dateTime(e.updatedAt)}</dd>
        <dt>History</dt>
        <dd>
          <a href={href('audit', { target: e.id })}>Audit entries for this endpoint</a>
        </dd>
      </dl>
      <div class="page-head">
        <h2>Deliveries</h2>
        <div class="buttons log-tools">
          <label class="field inline">
            <span>Status</span>
            <select value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
              <option value="">all</option>
              {DELIVERY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => deliveries.refresh()}>
            Refresh
          </button>
        </div>
      </div>
      <ErrorNote error={deliveries.error} />
      {deliveries.loading && deliveries.items.length === 0 ? (
        <p class="muted" role="status">
          Loading…
        </p>
      ) : null}
      {!deliveries.loading && !deliveries.error && deliveries.items.length === 0 ? (
        <p class="empty">No deliveries{status ? ` ${status}` : ''} yet.</p>
      ) : null}
      {deliveries.items.length > 0 ? <DeliveriesTable deliveries={deliveries.items} /> : null}
      <LoadMore list={deliveries} />
      {actions.dialog}
    </section>
  );
}

/** Newest first; each delivery with every attempt: when, status code, latency, error. */
function DeliveriesTable({ deliveries }: { deliveries: WebhookDeliveryView[] }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Delivery log">
      <table class="deliveries">
        <caption class="sr-only">Delivery log</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Queued</th>
            <th scope="col">Next attempt</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} data-delivery-id={delivery.id}>
              <th scope="row">
                <code>{delivery.type}</code>
                <div class="muted small" title="webhook-id">
                  {delivery.id}
                </div>
              </th>
              <td>
                <span class={`badge status-${delivery.status}`}>{delivery.status}</span>
              </td>
              <td>
                {delivery.attempts.length === 0 ? (
                  <span class="muted">none yet</span>
                ) : (
                  <ol class="attempts">
                    {delivery.attempts.map((attempt) => (
                      <li key={attempt.attempt} class={`attempt-${attempt.outcome}`}>
                        <span class="attempt-code">
                          {attempt.statusCode === null ? 'no answer' : `HTTP ${attempt.statusCode}`}
                        </span>{' '}
                        <span class="muted">
                          {attempt.latencyMs} ms · {preciseTime(attempt.at)}
                        </span>
                        {attempt.error && attempt.error !== `HTTP ${attempt.statusCode}` ? (
                          <div class="attempt-error">{attempt.error}</div>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                )}
              </td>
              <td>{preciseTime(delivery.createdAt)}</td>
              <td>{preciseTime(delivery.nextAttemptAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
