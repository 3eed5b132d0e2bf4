import {
  grant,
  memberActor,
  ORG,
  orgAdmin,
  OTHER_ORG,
  serviceAccountActor,
} from '../testing/fixtures';
import { given } from '../testing/given-when-then';
import {
  disableFailingCommand,
  ENDPOINT_ID,
  ENDPOINT_URL,
  endpointDeleted,
  endpointDisabled,
  endpointEnabled,
  endpointRegistered,
  registerCommand,
  SEALED,
  updateCommand,
} from '../testing/webhook-fixtures';
import type { WebhookEndpointCommand } from './webhook-commands';
import { webhookEndpointDecider } from './webhook-decider';

const ids = { orgId: ORG, endpointId: ENDPOINT_ID };
const member = memberActor('u_dev', [grant('*', 'admin')]);
const adminRoleAccount = serviceAccountActor('sa_ops', 'admin', ['*']);
const otherOrgAdmin = memberActor('u_other', [], { orgAdmin: true, orgId: OTHER_ORG });
const simple = (
  type: 'DisableWebhookEndpoint' | 'EnableWebhookEndpoint' | 'DeleteWebhookEndpoint',
  actor = orgAdmin,
): WebhookEndpointCommand => ({ type, data: { actor } });

const registered = given(webhookEndpointDecider, [endpointRegistered]);
const disabled = given(webhookEndpointDecider, [endpointRegistered, endpointDisabled()]);
const deleted = given(webhookEndpointDecider, [endpointRegistered, endpointDeleted]);

describe('RegisterWebhookEndpoint', () => {
  it('records the endpoint in the admin’s organization, with the sealed secret', () => {
    given(webhookEndpointDecider).when(registerCommand(orgAdmin)).then([endpointRegistered]);
  });

  it('is for org admins only: an admin grant or an admin-role service account is not enough', () => {
    for (const actor of [member, adminRoleAccount]) {
      const error = given(webhookEndpointDecider)
        .when(registerCommand(actor))
        .thenThrows('AUTH.FORBIDDEN');
      expect(error.message).toMatch(/not an organization admin and cannot register webhook/);
    }
  });

  it('refuses an id that already exists, deleted or not', () => {
    registered.when(registerCommand(orgAdmin)).thenThrows('WEBHOOK.ALREADY_EXISTS');
    deleted.when(registerCommand(orgAdmin)).thenThrows('WEBHOOK.ALREADY_EXISTS');
  });
});

describe('UpdateWebhookEndpoint', () => {
  it('records only the fields that change', () => {
    registered
      .when(
        updateCommand(orgAdmin, { url: 'https://hooks.example.com/v2', description: 'deploy bot' }),
      )
      .then([
        { type: 'WebhookEndpointUpdated', data: { ...ids, url: 'https://hooks.example.com/v2' } },
      ]);
    registered
      .when(updateCommand(orgAdmin, { eventTypes: null, description: '' }))
      .then([
        { type: 'WebhookEndpointUpdated', data: { ...ids, description: '', eventTypes: null } },
      ]);
    registered
      .when(updateCommand(orgAdmin, { eventTypes: ['key.*', 'member.added'] }))
      .then([
        { type: 'WebhookEndpointUpdated', data: { ...ids, eventTypes: ['key.*', 'member.added'] } },
      ]);
  });

  it('records nothing when nothing changes', () => {
    registered.when(updateCommand(orgAdmin, {})).then([]);
    registered
      .when(
        updateCommand(orgAdmin, {
          url: ENDPOINT_URL,
          eventTypes: ['key.*'],
          description: 'deploy bot',
        }),
      )
      .then([]);
  });

  it('updates a disabled endpoint, which stays disabled', () => {
    disabled
      .when(updateCommand(orgAdmin, { description: 'paused' }))
      .then([{ type: 'WebhookEndpointUpdated', data: { ...ids, description: 'paused' } }]);
  });

  it('the state folds the changes, keeping the secret', () => {
    const { state } = given(webhookEndpointDecider, [
      endpointRegistered,
      { type: 'WebhookEndpointUpdated', data: { ...ids, eventTypes: null } },
      endpointDisabled('failing'),
    ]);
    expect(state).toEqual({
      type: 'Active',
      data: {
        ...ids,
        url: ENDPOINT_URL,
        description: 'deploy bot',
        eventTypes: null,
        sealedSecret: SEALED,
        disabledReason: 'failing',
      },
    });
  });
});

describe('DisableWebhookEndpoint / EnableWebhookEndpoint', () => {
  it('disables an enabled endpoint by hand', () => {
    registered
      .when(simple('DisableWebhookEndpoint'))
      .then([{ type: 'WebhookEndpointDisabled', data: { ...ids, reason: 'manual' } }]);
  });

  it('records nothing for a disabled endpoint, whatever disabled it', () => {
    disabled.when(simple('DisableWebhookEndpoint')).then([]);
    given(webhookEndpointDecider, [endpointRegistered, endpointDisabled('failing')])
      .when(simple('DisableWebhookEndpoint'))
      .then([]);
  });

  it('enables a disabled endpoint, and records nothing for an enabled one', () => {
    disabled.when(simple('EnableWebhookEndpoint')).then([endpointEnabled]);
    registered.when(simple('EnableWebhookEndpoint')).then([]);
    given(webhookEndpointDecider, [endpointRegistered, endpointDisabled(), endpointEnabled])
      .when(simple('EnableWebhookEndpoint'))
      .then([]);
  });
});

describe('DeleteWebhookEndpoint', () => {
  it('deletes an enabled or a disabled endpoint', () => {
    registered.when(simple('DeleteWebhookEndpoint')).then([endpointDeleted]);
    disabled.when(simple('DeleteWebhookEndpoint')).then([endpointDeleted]);
  });
});

describe('every change of an existing endpoint', () => {
  const changes: [string, (actor: typeof orgAdmin) => WebhookEndpointCommand][] = [
    ['update', (actor) => updateCommand(actor, { description: 'x' })],
    ['disable', (actor) => simple('DisableWebhookEndpoint', actor)],
    ['enable', (actor) => simple('EnableWebhookEndpoint', actor)],
    ['delete', (actor) => simple('DeleteWebhookEndpoint', actor)],
  ];

  it.each(changes)('%s: a missing, deleted or other org’s endpoint is not found', (_, command) => {
    given(webhookEndpointDecider).when(command(orgAdmin)).thenThrows('WEBHOOK.NOT_FOUND');
    deleted.when(command(orgAdmin)).thenThrows('WEBHOOK.NOT_FOUND');
    registered.when(command(otherOrgAdmin)).thenThrows('WEBHOOK.NOT_FOUND');
  });

  it.each(changes)('%s: needs an org admin, before saying whether it exists', (_, command) => {
    registered.when(command(member)).thenThrows('AUTH.FORBIDDEN');
    given(webhookEndpointDecider).when(command(adminRoleAccount)).thenThrows('AUTH.FORBIDDEN');
  });
});

describe('DisableFailingWebhookEndpoint', () => {
  it('disables an enabled endpoint as failing, with since when and the last error', () => {
    registered.when(disableFailingCommand()).then([
      {
        type: 'WebhookEndpointDisabled',
        data: {
          ...ids,
          reason: 'failing',
          failingSince: '2026-12-02T00:00:00.000Z',
          lastError: 'HTTP 503 Service Unavailable',
        },
      },
    ]);
  });

  it('keeps at most 500 characters of the last error', () => {
    const [event] = webhookEndpointDecider.decide(
      disableFailingCommand(ORG, 'é'.repeat(600)),
      registered.state,
    );
    expect(event).toMatchObject({ data: { lastError: 'é'.repeat(500) } });
  });

  it('records nothing for an endpoint already disabled', () => {
    disabled.when(disableFailingCommand()).then([]);
  });

  it('does not find another org’s, a deleted or a missing endpoint', () => {
    registered.when(disableFailingCommand(OTHER_ORG)).thenThrows('WEBHOOK.NOT_FOUND');
    deleted.when(disableFailingCommand()).thenThrows('WEBHOOK.NOT_FOUND');
    given(webhookEndpointDecider).when(disableFailingCommand()).thenThrows('WEBHOOK.NOT_FOUND');
  });
});
