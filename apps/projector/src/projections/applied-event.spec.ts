import type { RecordedEvent } from '@keyward/event-store';
import { toAppliedEvent } from './applied-event';

const recorded = (type: string, data: unknown, metadata: unknown = {}): RecordedEvent => ({
  id: 'e1',
  type,
  data,
  metadata,
  streamName: 'organization-acme',
  revision: 0n,
  position: 42n,
});

describe('toAppliedEvent', () => {
  it('gives reducers the decoded data and who, when and from where', () => {
    const applied = toAppliedEvent(
      recorded(
        'OrganizationCreated',
        { orgId: 'acme', name: 'Acme' },
        {
          eventId: 'ev-1',
          actor: { kind: 'operator' },
          correlationId: 'c1',
          causationId: 'c1',
          source: { ip: '10.0.0.1', userAgent: 'curl', channel: 'http' },
          occurredAt: '2026-12-03T00:00:00.000Z',
          schemaVersion: 1,
        },
      ),
    );
    expect(applied).toEqual({
      type: 'OrganizationCreated',
      data: { orgId: 'acme', name: 'Acme' },
      position: 42,
      at: Date.parse('2026-12-03T00:00:00.000Z'),
      actor: { kind: 'operator' },
      eventId: 'ev-1',
      correlationId: 'c1',
      causationId: 'c1',
      source: { ip: '10.0.0.1', userAgent: 'curl', channel: 'http' },
    });
  });

  it('skips a type from a newer writer (null), and refuses a known type that does not decode', () => {
    expect(toAppliedEvent(recorded('WebhookEndpointAdded', { endpointId: 'w' }))).toBeNull();
    expect(() => toAppliedEvent(recorded('OrganizationCreated', { orgId: 'acme' }))).toThrow(
      /data\.name/,
    );
  });
});
