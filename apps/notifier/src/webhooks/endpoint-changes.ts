import { decodeEvent } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';

/**
 * Webhook endpoints as the notifier knows them (docs/webhooks.md): folded from the store's
 * `WebhookEndpoint*` events into the `webhook_endpoints` table, written in the same transaction
 * as the checkpoint (like the key deadlines), so the table holds exactly the events up to the
 * checkpoint. This file is the pure part: what one event changes. Times are epoch ms (the
 * event's `occurredAt`).
 */
export interface RegisteredEndpoint {
  id: string;
  orgId: string;
  url: string;
  description: string;
  /** Null: every notification type. */
  eventTypes: string[] | null;
  sealedSecret: string;
  at: number;
  /** The store position of the event. */
  position: string;
}

export type EndpointChange =
  | { kind: 'endpointRegistered'; endpoint: RegisteredEndpoint }
  | {
      kind: 'endpointUpdated';
      id: string;
      url?: string;
      description?: string;
      /** Absent: unchanged; null: every type. */
      eventTypes?: string[] | null;
      at: number;
      position: string;
    }
  | {
      kind: 'endpointDisabled';
      id: string;
      reason: 'manual' | 'failing';
      failingSince: number | null;
      at: number;
      position: string;
    }
  | { kind: 'endpointEnabled'; id: string; at: number; position: string }
  | { kind: 'endpointDeleted'; id: string; at: number; position: string };

const FOLDED = new Set([
  'WebhookEndpointRegistered',
  'WebhookEndpointUpdated',
  'WebhookEndpointDisabled',
  'WebhookEndpointEnabled',
  'WebhookEndpointDeleted',
]);

/** What one stored event changes in the endpoint table (nothing for every other type). */
export function endpointChangesOf(recorded: RecordedEvent): EndpointChange[] {
  if (!FOLDED.has(recorded.type)) return [];
  const decoded = decodeEvent(recorded);
  if (!decoded.known) return [];
  const { event, metadata } = decoded;
  const at = metadata.occurredAt === undefined ? 0 : Date.parse(metadata.occurredAt);
  const position = recorded.position.toString();
  switch (event.type) {
    case 'WebhookEndpointRegistered':
      return [
        {
          kind: 'endpointRegistered',
          endpoint: {
            id: event.data.endpointId,
            orgId: event.data.orgId,
            url: event.data.url,
            description: event.data.description,
            eventTypes: event.data.eventTypes === null ? null : [...event.data.eventTypes],
            sealedSecret: event.data.sealedSecret,
            at,
            position,
          },
        },
      ];
    case 'WebhookEndpointUpdated':
      return [
        {
          kind: 'endpointUpdated',
          id: event.data.endpointId,
          ...(event.data.url === undefined ? {} : { url: event.data.url }),
          ...(event.data.description === undefined ? {} : { description: event.data.description }),
          ...(event.data.eventTypes === undefined
            ? {}
            : { eventTypes: event.data.eventTypes === null ? null : [...event.data.eventTypes] }),
          at,
          position,
        },
      ];
    case 'WebhookEndpointDisabled':
      return [
        {
          kind: 'endpointDisabled',
          id: event.data.endpointId,
          reason: event.data.reason,
          failingSince:
            event.data.failingSince === undefined ? null : Date.parse(event.data.failingSince),
          at,
          position,
        },
      ];
    case 'WebhookEndpointEnabled':
      return [{ kind: 'endpointEnabled', id: event.data.endpointId, at, position }];
    case 'WebhookEndpointDeleted':
      return [{ kind: 'endpointDeleted', id: event.data.endpointId, at, position }];
    default:
      return [];
  }
}
