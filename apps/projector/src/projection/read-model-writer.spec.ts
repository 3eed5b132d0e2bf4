import type { RecordedEvent } from '@keyward/event-store';
import { openReadModelDb } from '../store/read-model-db';
import { digestReadModels } from '../store/table-digest';
import { EVENTS_CHECKPOINT, ReadModelWriter } from './read-model-writer';

const admin = { kind: 'member', id: 'admin' };
let position = 0n;

function recorded(
  type: string,
  data: Record<string, unknown>,
  actor: object = admin,
): RecordedEvent {
  position += 1n << 16n;
  return {
    id: `e${position}`,
    type,
    data,
    metadata: {
      eventId: `e${position}`,
      actor,
      orgId: 'acme',
      correlationId: 'c1',
      causationId: 'c1',
      source: { ip: '10.0.0.1', userAgent: 'test', channel: 'nats' },
      occurredAt: new Date(1_700_000_000_000 + Number(position >> 16n)).toISOString(),
    },
    streamName: 's',
    revision: 0n,
    position,
  };
}

function history(): RecordedEvent[] {
  position = 0n;
  const owner = { kind: 'serviceAccount', id: 'sa_1' };
  return [
    recorded('OrganizationCreated', { orgId: 'acme', name: 'Acme' }, { kind: 'operator' }),
    recorded(
      'MemberAdded',
      { orgId: 'acme', userId: 'admin', displayName: 'Admin', orgRole: 'admin', grants: [] },
      { kind: 'operator' },
    ),
    recorded('ServiceAccountCreated', {
      orgId: 'acme',
      accountId: 'sa_1',
      name: 'Bot',
      description: '',
      role: 'reader',
      permissions: ['read'],
      resources: ['*'],
      enableBasicAuth: false,
      createdBy: admin,
    }),
    recorded('KeyIssued', {
      orgId: 'acme',
      keyId: 'key_1',
      owner,
      name: 'k',
      description: '',
      keyHash: 'deadbeef',
      hint: 'kw_live_ab…cd',
      expiresAt: null,
    }),
    recorded('ServiceAccountUpdated', { orgId: 'acme', accountId: 'sa_1', name: 'Robot' }),
    recorded('KeyRevoked', { orgId: 'acme', keyId: 'key_1', owner, reason: 'account_deleted' }),
    recorded('ServiceAccountDeleted', { orgId: 'acme', accountId: 'sa_1', reason: 'x' }),
  ];
}

describe('ReadModelWriter', () => {
  it('applies a batch once: the same batch again, or any part of it, changes nothing', () => {
    const db = openReadModelDb(':memory:');
    const writer = new ReadModelWriter(db);
    const events = history();
    writer.applyEvents(events.slice(0, 4));
    writer.applyEvents(events);
    const once = digestReadModels(db);
    writer.applyEvents(events);
    writer.applyEvents(events.slice(2, 5));
    expect(digestReadModels(db)).toEqual(once);
    expect(writer.checkpoint(EVENTS_CHECKPOINT)).toBe(Number(events[6].position));
  });

  it('gives the same tables whatever the batch boundaries', () => {
    const events = history();
    const whole = openReadModelDb(':memory:');
    new ReadModelWriter(whole).applyEvents(events);
    const oneByOne = openReadModelDb(':memory:');
    const writer = new ReadModelWriter(oneByOne);
    for (const event of events) writer.applyEvents([event]);
    expect(digestReadModels(oneByOne)).toEqual(digestReadModels(whole));
  });

  it('keeps no hash and records the actor by name as of that moment', () => {
    const db = openReadModelDb(':memory:');
    new ReadModelWriter(db).applyEvents(history());
    expect(JSON.stringify(db.prepare('SELECT * FROM keys').all())).not.toContain('deadbeef');
    expect(JSON.stringify(db.prepare('SELECT * FROM audit_log').all())).not.toContain('deadbeef');
    const names = db
      .prepare(`SELECT target_name FROM audit_log WHERE target_id = 'sa_1' ORDER BY seq`)
      .pluck()
      .all();
    expect(names).toEqual(['Bot', 'Robot', 'Robot']);
  });

  it('never edits or deletes an audit entry', () => {
    const db = openReadModelDb(':memory:');
    new ReadModelWriter(db).applyEvents(history());
    expect(() => db.exec(`UPDATE audit_log SET action = 'x'`)).toThrow(/never edited/);
    expect(() => db.exec(`DELETE FROM audit_log`)).toThrow(/never deleted/);
  });
});
