import type { KeywardEventType, PrincipalRef } from '@keyward/domain';
import { actorId, type ActorRef, type AppliedEvent, type AppliedOf } from './applied-event';
import { LEAK_REPORT_ACTOR_NAME } from '@keyward/messaging';
import { json } from './projection';
import type { AuditRow, ReadModelStatements } from './read-model-statements';

interface Target {
  kind: string;
  id: string;
  name: string | null;
  owner?: PrincipalRef;
}

type Describe<T extends KeywardEventType> = (
  sql: ReadModelStatements,
  event: AppliedOf<T>,
) => { action: string; target: Target };

const org = (orgId: string, name: string | null): Target => ({
  kind: 'organization',
  id: orgId,
  name,
});

/**
 * Which action each event type is, and what it acted on (names as of that moment). Every type
 * is here: a new event type does not compile until its audit entry is decided.
 */
const DESCRIBE: { readonly [T in KeywardEventType]: Describe<T> } = {
  OrganizationCreated: (_sql, { data }) => ({
    action: 'organization.created',
    target: org(data.orgId, data.name),
  }),
  RoleDefined: (_sql, { data }) => ({
    action: 'organization.role_defined',
    target: { kind: 'role', id: data.name, name: data.name },
  }),
  OrganizationPolicySet: (_sql, { data }) => ({
    action: 'organization.policy_set',
    target: org(data.orgId, null),
  }),
  MemberAdded: (_sql, { data }) => ({
    action: 'member.added',
    target: member(data.userId, data.displayName),
  }),
  MemberGrantsChanged: (sql, { data }) => ({
    action: 'member.grants_changed',
    target: member(data.userId, memberName(sql, data.orgId, data.userId)),
  }),
  MemberRemoved: (sql, { data }) => ({
    action: 'member.removed',
    target: member(data.userId, memberName(sql, data.orgId, data.userId)),
  }),
  ServiceAccountCreated: (_sql, { data }) => ({
    action: 'service_account.created',
    target: account(data.accountId, data.name),
  }),
  ServiceAccountUpdated: (sql, { data }) => ({
    action: 'service_account.updated',
    target: account(data.accountId, data.name ?? accountName(sql, data.orgId, data.accountId)),
  }),
  ServiceAccountDeleted: (sql, { data }) => ({
    action: 'service_account.deleted',
    target: account(data.accountId, accountName(sql, data.orgId, data.accountId)),
  }),
  ServiceAccountNameReserved: (_sql, { data }) => ({
    action: 'service_account.name_reserved',
    target: account(data.accountId, data.name),
  }),
  ServiceAccountNameReleased: (_sql, { data }) => ({
    action: 'service_account.name_released',
    target: account(data.accountId, data.name),
  }),
  KeyIssued: (_sql, { data }) => ({
    action: 'key.issued',
    target: key(data.keyId, data.name, data.owner),
  }),
  KeyRotated: (sql, { data }) => ({
    action: 'key.rotated',
    target: key(
      data.keyId,
      (sql.keyName.get(data.keyId, data.orgId) as string | undefined) ?? null,
      data.owner,
    ),
  }),
  KeyRevoked: (sql, { data }) => ({
    action: 'key.revoked',
    target: key(
      data.keyId,
      (sql.keyName.get(data.keyId, data.orgId) as string | undefined) ?? null,
      data.owner,
    ),
  }),
  WebhookEndpointRegistered: (_sql, { data }) => ({
    action: 'webhook.endpoint_registered',
    target: endpoint(data.endpointId, data.url),
  }),
  WebhookEndpointUpdated: (sql, { data }) => ({
    action: 'webhook.endpoint_updated',
    target: endpoint(data.endpointId, data.url ?? endpointUrl(sql, data.orgId, data.endpointId)),
  }),
  WebhookEndpointDisabled: (sql, { data }) => ({
    action: 'webhook.endpoint_disabled',
    target: endpoint(data.endpointId, endpointUrl(sql, data.orgId, data.endpointId)),
  }),
  WebhookEndpointEnabled: (sql, { data }) => ({
    action: 'webhook.endpoint_enabled',
    target: endpoint(data.endpointId, endpointUrl(sql, data.orgId, data.endpointId)),
  }),
  WebhookEndpointDeleted: (sql, { data }) => ({
    action: 'webhook.endpoint_deleted',
    target: endpoint(data.endpointId, endpointUrl(sql, data.orgId, data.endpointId)),
  }),
};

/**
 * What an audit entry shows of an event's data: everything but a key's hash, a webhook
 * endpoint's sealed secret and the org.
 */
const HIDDEN_FIELDS = new Set(['keyHash', 'sealedSecret', 'orgId']);

export function appendEventAuditEntry(sql: ReadModelStatements, event: AppliedEvent): void {
  const { data, actor } = event;
  const describe = DESCRIBE[event.type] as Describe<KeywardEventType>;
  const described = describe(sql, event as AppliedOf<KeywardEventType>);
  const details = Object.fromEntries(Object.entries(data).filter(([k]) => !HIDDEN_FIELDS.has(k)));
  const row: AuditRow = [
    event.position,
    data.orgId,
    event.at,
    described.action,
    event.type,
    actor.kind,
    actorId(actor),
    actorName(sql, data.orgId, actor),
    described.target.kind,
    described.target.id,
    described.target.name,
    described.target.owner?.kind ?? null,
    described.target.owner?.id ?? null,
    event.source.ip,
    event.source.userAgent,
    event.source.channel,
    event.correlationId,
    event.causationId,
    event.eventId,
    json(details),
  ];
  sql.insertAudit.run(row);
}

/** The actor's name as of this moment: the tables hold every event before this one. */
function actorName(sql: ReadModelStatements, orgId: string, actor: ActorRef): string | null {
  if (actor.kind === 'operator') return 'operator';
  if (actor.kind === 'leakReport') return LEAK_REPORT_ACTOR_NAME;
  if (actor.kind === 'system') return 'system';
  return actor.kind === 'member'
    ? memberName(sql, orgId, actor.id)
    : accountName(sql, orgId, actor.id);
}

function memberName(sql: ReadModelStatements, orgId: string, userId: string): string | null {
  return (sql.memberName.get(orgId, userId) as string | undefined) ?? null;
}

function accountName(sql: ReadModelStatements, orgId: string, accountId: string): string | null {
  return (sql.serviceAccountName.get(accountId, orgId) as string | undefined) ?? null;
}

function member(userId: string, name: string | null): Target {
  return { kind: 'member', id: userId, name };
}

function account(accountId: string, name: string | null): Target {
  return { kind: 'serviceAccount', id: accountId, name };
}

function endpoint(endpointId: string, url: string | null): Target {
  return { kind: 'webhookEndpoint', id: endpointId, name: url };
}

function endpointUrl(sql: ReadModelStatements, orgId: string, endpointId: string): string | null {
  return (sql.webhookEndpointUrl.get(endpointId, orgId) as string | undefined) ?? null;
}

function key(keyId: string, name: string | null, owner: PrincipalRef): Target {
  return { kind: 'key', id: keyId, name, owner };
}
