import { AuditReader } from '../src/queries/audit-reader';
import {
  ADMIN_ADDED as admin,
  ORG_CREATED as org,
  freshReadModel,
  given,
  itReplaysIdempotently,
  record,
  type SpecEvent,
} from './projection-spec';
import { ReadModelWriter } from '../src/projection/read-model-writer';

const endpointId = 'whe_0123456789abcdef0123456789abcdef';
const SEALED = 'v1.0a1b2c3d.c2VhbGVkLWl2.c2VhbGVkLXNlY3JldA';
const ids = { orgId: 'acme', endpointId };

const registered: SpecEvent = {
  type: 'WebhookEndpointRegistered',
  data: {
    ...ids,
    url: 'https://hooks.example.com/a',
    description: 'deploys',
    eventTypes: ['key.*'],
    sealedSecret: SEALED,
  },
};
const moved: SpecEvent = {
  type: 'WebhookEndpointUpdated',
  data: { ...ids, url: 'https://hooks.example.com/b' },
};
const refiltered: SpecEvent = {
  type: 'WebhookEndpointUpdated',
  data: { ...ids, eventTypes: null },
};
const failing: SpecEvent = {
  type: 'WebhookEndpointDisabled',
  data: {
    ...ids,
    reason: 'failing',
    failingSince: '2026-01-01T00:00:00.000Z',
    lastError: 'HTTP 503',
  },
  metadata: { actor: { kind: 'system' } },
};
const enabled: SpecEvent = { type: 'WebhookEndpointEnabled', data: ids };
const deleted: SpecEvent = { type: 'WebhookEndpointDeleted', data: ids };

const scenarios = {
  registered: given(org, admin).when(registered),
  'url changed': given(org, admin, registered).when(moved),
  'filter changed': given(org, admin, registered, moved).when(refiltered),
  'disabled as failing (system)': given(org, admin, registered, moved).when(failing),
  enabled: given(org, admin, registered, failing).when(enabled),
  deleted: given(org, admin, registered, moved).when(deleted),
};

describe('webhook endpoint audit entries', () => {
  it('a registration: action, target named by its URL, details without the sealed secret', () => {
    scenarios.registered.then(({ audit, rows }) => {
      expect(audit()).toMatchObject({
        action: 'webhook.endpoint_registered',
        event_type: 'WebhookEndpointRegistered',
        actor_kind: 'member',
        actor_id: 'admin',
        actor_name: 'Ada Admin',
        target_kind: 'webhookEndpoint',
        target_id: endpointId,
        target_name: 'https://hooks.example.com/a',
        details: {
          endpointId,
          url: 'https://hooks.example.com/a',
          description: 'deploys',
          eventTypes: ['key.*'],
        },
      });
      const everything = JSON.stringify(
        rows(`SELECT * FROM audit_log`).concat(rows(`SELECT * FROM webhook_endpoints`)),
      );
      expect(everything).not.toContain('c2VhbGVkLXNlY3JldA');
      expect(everything).not.toContain('sealedSecret');
    });
  });

  it('later entries are named by the URL as of each change', () => {
    scenarios['filter changed'].then(({ audit, rows }) => {
      expect(audit()).toMatchObject({
        action: 'webhook.endpoint_updated',
        target_name: 'https://hooks.example.com/b',
        details: { endpointId, eventTypes: null },
      });
      expect(
        rows(
          `SELECT action, target_name FROM audit_log WHERE target_id = ? ORDER BY seq`,
          endpointId,
        ),
      ).toEqual([
        { action: 'webhook.endpoint_registered', target_name: 'https://hooks.example.com/a' },
        { action: 'webhook.endpoint_updated', target_name: 'https://hooks.example.com/b' },
        { action: 'webhook.endpoint_updated', target_name: 'https://hooks.example.com/b' },
      ]);
    });
  });

  it('a failing disable is recorded as the system actor', () => {
    scenarios['disabled as failing (system)'].then(({ audit }) => {
      expect(audit()).toMatchObject({
        action: 'webhook.endpoint_disabled',
        actor_kind: 'system',
        actor_id: null,
        actor_name: 'system',
        target_name: 'https://hooks.example.com/b',
        details: { reason: 'failing', lastError: 'HTTP 503' },
      });
    });
  });

  it('enable and delete', () => {
    scenarios.enabled.then(({ audit }) =>
      expect(audit()).toMatchObject({
        action: 'webhook.endpoint_enabled',
        details: { endpointId },
      }),
    );
    scenarios.deleted.then(({ audit }) =>
      expect(audit()).toMatchObject({
        action: 'webhook.endpoint_deleted',
        target_name: 'https://hooks.example.com/b',
      }),
    );
  });

  it('the audit query shows the system actor and filters by it', () => {
    const db = freshReadModel();
    new ReadModelWriter(db).applyEvents(record([org, admin, registered, failing]));
    const reader = new AuditReader(db);
    const all = reader.page('acme', AuditReader.filtersOf({}), 10, null).entries;
    expect(all[0].actor).toEqual({ kind: 'system', id: null, name: 'system', active: null });
    const bySystem = reader.page('acme', AuditReader.filtersOf({ actor: 'system' }), 10, null);
    expect(bySystem.entries.map((entry) => entry.action)).toEqual(['webhook.endpoint_disabled']);
    const byTarget = reader.page('acme', AuditReader.filtersOf({ target: endpointId }), 10, null);
    expect(byTarget.entries.map((entry) => entry.action)).toEqual([
      'webhook.endpoint_disabled',
      'webhook.endpoint_registered',
    ]);
    db.close();
  });

  itReplaysIdempotently(scenarios);
});
