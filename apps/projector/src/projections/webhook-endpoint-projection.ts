import type { Projection } from './projection';

/**
 * An endpoint's URL, for the audit log to name it by (the notifier keeps the endpoints); a
 * deleted endpoint keeps its row, so its later entries (none today) would still be named.
 */
export const webhookEndpointProjection: Projection = {
  WebhookEndpointRegistered: (sql, { data }) => {
    sql.upsertWebhookEndpoint.run(data.endpointId, data.orgId, data.url);
  },
  WebhookEndpointUpdated: (sql, { data }) => {
    if (data.url !== undefined)
      sql.setWebhookEndpointUrl.run(data.url, data.endpointId, data.orgId);
  },
};
