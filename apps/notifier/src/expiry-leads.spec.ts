import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@keyward/event-store';
import { CheckpointStore } from './checkpoint-store';
import { leadChangesOf, soonPlan } from './expiry-leads';
import { changesOf } from './store-changes';
import { EventLog, keyId as key, ORG, T0 } from '../test/recorded-events';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

const log = new EventLog();
const issued = (n: number, expiresAt: number, at = T0, orgId = ORG) =>
  log.keyIssued(n, { expiresAt, at, orgId });
const policy = (seconds: number | null, at = T0, orgId = ORG) =>
  log.policySet(seconds, { at, orgId });

function fold(events: RecordedEvent[], db: CheckpointStore): CheckpointStore {
  for (const event of events) db.write(event.position, changesOf(event, null));
  return db;
}
const plans = (db: CheckpointStore) =>
  db.deadlines().map((d) => [d.keyId, d.soon, d.soonAt - T0, d.expired]);

describe('organizations’ expiry leads', () => {
  it('a policy event gives its lead; a version-1 policy the default (null); others nothing', () => {
    expect(leadChangesOf(policy(3_600, T0 + 5))).toEqual([
      { kind: 'lead', orgId: 'acme', seconds: 3_600, at: T0 + 5 },
    ]);
    expect(leadChangesOf(log.policySet())).toEqual([
      { kind: 'lead', orgId: 'acme', seconds: null, at: T0 },
    ]);
    expect(leadChangesOf(issued(1, T0 + DAY))).toEqual([]);
  });

  it('plans the soon notice the lead before the expiry, never before its event; lead 0: none', () => {
    expect(soonPlan(T0 + 10 * DAY, T0, WEEK)).toEqual({ soon: 'pending', soonAt: T0 + 3 * DAY });
    expect(soonPlan(T0 + DAY, T0, WEEK)).toEqual({ soon: 'pending', soonAt: T0 });
    expect(soonPlan(T0 + DAY, T0, 0)).toEqual({ soon: 'skipped', soonAt: T0 + DAY });
  });

  it("a key is planned with its organization's lead, else the default", () => {
    const db = fold(
      [
        policy(DAY / 1000, T0, 'beta'),
        policy(0, T0, 'gamma'),
        issued(1, T0 + 10 * DAY),
        issued(2, T0 + 10 * DAY, T0, 'beta'),
        issued(3, T0 + 10 * DAY, T0, 'gamma'),
      ],
      new CheckpointStore(':memory:'),
    );
    expect(plans(db)).toEqual([
      [key(1), 'pending', 3 * DAY, 'pending'],
      [key(2), 'pending', 9 * DAY, 'pending'],
      [key(3), 'skipped', 10 * DAY, 'pending'],
    ]);
  });

  it("a lead change re-plans only that organization's pending notices; sent and expired stay", () => {
    const db = fold(
      [
        issued(1, T0 + 10 * DAY),
        issued(2, T0 + 20 * DAY),
        issued(3, T0 + 4 * DAY),
        issued(4, T0 + 20 * DAY, T0, 'beta'),
      ],
      new CheckpointStore(':memory:'),
    );
    db.markSent(key(1), T0 + 10 * DAY, 'key.expiring_soon');
    db.markSent(key(3), T0 + 4 * DAY, 'key.expired', true);
    fold([policy((15 * DAY) / 1000, T0 + DAY)], db);
    expect(plans(db)).toEqual([
      [key(1), 'sent', 3 * DAY, 'pending'],
      [key(2), 'pending', 5 * DAY, 'pending'],
      [key(3), 'skipped', 0, 'sent'],
      [key(4), 'pending', 13 * DAY, 'pending'], // beta: the default
    ]);
    // The same lead again (another field of the policy changed) moves nothing.
    fold([policy((15 * DAY) / 1000, T0 + 2 * DAY)], db);
    expect(plans(db)[1]).toEqual([key(2), 'pending', 5 * DAY, 'pending']);
    // Back to the default's length moves it; then null (the same length) moves nothing.
    fold([policy(WEEK / 1000, T0 + 3 * DAY), policy(null, T0 + 4 * DAY)], db);
    expect(plans(db)[1]).toEqual([key(2), 'pending', 13 * DAY, 'pending']);
  });

  it('replaying the same events gives the same plans and keeps what was sent', () => {
    const events = [
      issued(1, T0 + 10 * DAY),
      policy((2 * DAY) / 1000, T0 + DAY),
      issued(2, T0 + 20 * DAY, T0 + DAY),
      policy(0, T0 + 2 * DAY, 'beta'),
      issued(3, T0 + 20 * DAY, T0 + 2 * DAY, 'beta'),
    ];
    const once = fold(events, new CheckpointStore(':memory:'));
    const fromScratch = fold(events, new CheckpointStore(':memory:'));
    expect(plans(fromScratch)).toEqual(plans(once));
    once.markSent(key(1), T0 + 10 * DAY, 'key.expiring_soon');
    fold(events, once);
    expect(plans(once)[0]).toEqual([key(1), 'sent', 8 * DAY, 'pending']);
    expect(plans(once).slice(1)).toEqual(plans(fromScratch).slice(1));
  });

  describe('the deployment default, across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyward-leads-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a file opened with another default re-plans the keys of organizations on the default', () => {
      const path = join(dir, 'default.sqlite');
      const first = new CheckpointStore(path, { defaultExpiryLeadMs: WEEK });
      fold(
        [
          policy(DAY / 1000, T0, 'beta'),
          issued(1, T0 + 10 * DAY),
          issued(2, T0 + 10 * DAY, T0, 'beta'),
          issued(3, T0 + 30 * DAY),
        ],
        first,
      );
      first.markSent(key(1), T0 + 10 * DAY, 'key.expiring_soon');
      first.close();
      const second = new CheckpointStore(path, { defaultExpiryLeadMs: 2 * DAY });
      expect(plans(second)).toEqual([
        [key(1), 'sent', 3 * DAY, 'pending'],
        [key(2), 'pending', 9 * DAY, 'pending'], // its organization's own lead
        [key(3), 'pending', 28 * DAY, 'pending'],
      ]);
      second.close();
      const none = new CheckpointStore(path, { defaultExpiryLeadMs: 0 });
      expect(plans(none).map(([, soon]) => soon)).toEqual(['sent', 'pending', 'skipped']);
      none.close();
      const back = new CheckpointStore(path, { defaultExpiryLeadMs: WEEK });
      expect(plans(back)[2]).toEqual([key(3), 'pending', 23 * DAY, 'pending']);
      back.close();
    });
  });
});
