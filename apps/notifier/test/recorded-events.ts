import { decodeEvent } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import type { Notification, NotificationType } from '@keyward/messaging';

/** Builders of stored events and their notifications for the notifier's specs. */
export const ORG = 'acme';
export const T0 = Date.parse('2026-12-03T10:00:00.000Z');
export const endpointId = (n: number) => `whe_${String(n).padStart(32, '0')}`;
export const keyId = (n: number) => `key_${String(n).padStart(32, '0')}`;
/** The owner of every key. */
export const SA = { kind: 'serviceAccount', id: 'sa_0123456789abcdef0123456789abcdef' };

export class EventLog {
  private position = 0n;

  constructor(private readonly at: () => number = () => T0) {}

  /** A stored event; `at` (epoch ms) overrides the log's clock for its `occurredAt`. */
  recorded(
    type: string,
    data: Record<string, unknown>,
    options: { orgId?: string; at?: number; schemaVersion?: number } = {},
  ): RecordedEvent {
    const orgId = options.orgId ?? ORG;
    this.position += 1n;
    const id = `00000000-0000-4000-8000-${String(this.position).padStart(12, '0')}`;
    return {
      id,
      type,
      data: { orgId, ...data },
      metadata: {
        eventId: id,
        actor: { kind: 'member', id: 'dana' },
        orgId,
        occurredAt: new Date(options.at ?? this.at()).toISOString(),
        schemaVersion: options.schemaVersion ?? 1,
      },
      streamName: 'x',
      revision: 0n,
      position: this.position,
    };
  }

  registered(
    n: number,
    options: { url?: string; eventTypes?: string[] | null; orgId?: string; sealed?: string } = {},
  ) {
    return this.recorded(
      'WebhookEndpointRegistered',
      {
        endpointId: endpointId(n),
        url: options.url ?? `https://hooks.example.com/${n}`,
        description: `endpoint ${n}`,
        eventTypes: options.eventTypes === undefined ? null : options.eventTypes,
        sealedSecret: options.sealed ?? `sealed-${n}`,
      },
      { orgId: options.orgId },
    );
  }

  updated(n: number, changes: Record<string, unknown>) {
    return this.recorded('WebhookEndpointUpdated', { endpointId: endpointId(n), ...changes });
  }

  disabled(n: number, reason: 'manual' | 'failing' = 'manual', failingSince?: number) {
    return this.recorded('WebhookEndpointDisabled', {
      endpointId: endpointId(n),
      reason,
      ...(failingSince === undefined
        ? {}
        : { failingSince: new Date(failingSince).toISOString(), lastError: 'HTTP 500' }),
    });
  }

  enabled(n: number) {
    return this.recorded('WebhookEndpointEnabled', { endpointId: endpointId(n) });
  }

  deleted(n: number) {
    return this.recorded('WebhookEndpointDeleted', { endpointId: endpointId(n) });
  }

  keyIssued(n: number, options: { orgId?: string; expiresAt?: number | null; at?: number } = {}) {
    return this.recorded(
      'KeyIssued',
      {
        keyId: keyId(n),
        owner: SA,
        name: `k${n}`,
        description: '',
        keyHash: 'a'.repeat(64),
        hint: 'kw_live_abcd',
        expiresAt: options.expiresAt ?? null,
      },
      options,
    );
  }

  keyRevoked(n: number) {
    return this.recorded('KeyRevoked', { keyId: keyId(n), owner: SA, reason: 'manual' });
  }

  keyRotated(n: number, successor: number, expiresAt: number) {
    return this.recorded('KeyRotated', {
      keyId: keyId(n),
      owner: SA,
      successorKeyId: keyId(successor),
      expiresAt,
    });
  }

  /**
   * The organization's policy; with `expiryNoticeSeconds` (a number, or null for the deployment
   * default) at schema version 2, without it (`undefined`) as version 1 recorded it.
   */
  policySet(
    expiryNoticeSeconds?: number | null,
    options: { orgId?: string; at?: number } = {},
  ): RecordedEvent {
    const policy = { maxActiveKeysPerPrincipal: 100, maxKeyLifetimeSeconds: null };
    const data = { ...policy, allowedServiceAccountRoles: null };
    if (expiryNoticeSeconds === undefined)
      return this.recorded('OrganizationPolicySet', data, options);
    return this.recorded(
      'OrganizationPolicySet',
      { ...data, expiryNoticeSeconds },
      { ...options, schemaVersion: 2 },
    );
  }
}

/** The notification of a stored event, shaped as the mapper makes it (type and target given). */
export function notificationOf(
  event: RecordedEvent,
  type: NotificationType,
  target: Notification['target'],
): Notification {
  const decoded = decodeEvent(event);
  if (!decoded.known) throw new Error(`unknown event type ${decoded.type}`);
  return {
    eventId: decoded.metadata.eventId ?? event.id,
    type,
    orgId: decoded.event.data.orgId,
    position: event.position.toString(),
    occurredAt: decoded.metadata.occurredAt ?? new Date(T0).toISOString(),
    actor: { kind: 'member', id: 'dana' },
    target,
    data: {},
  } as Notification;
}

/** A key.issued notification for key `n` (lane `key:<keyId>`). */
export function keyNotification(log: EventLog, n: number, orgId = ORG) {
  const event = log.keyIssued(n, { orgId });
  return {
    event,
    notification: notificationOf(event, 'key.issued', { kind: 'key', id: keyId(n) }),
  };
}

/** The endpoint id a stored `WebhookEndpoint*` event is about. */
export function endpointOf(event: RecordedEvent): string {
  const decoded = decodeEvent(event);
  if (!decoded.known || !('endpointId' in decoded.event.data)) {
    throw new Error(`not an endpoint event: ${event.type}`);
  }
  return decoded.event.data.endpointId;
}
