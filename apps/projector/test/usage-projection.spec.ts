import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyUsageRollup } from '@keyward/messaging';
import { usageDayOf } from '../src/projections/usage-projection';
import {
  EVENTS_CHECKPOINT,
  ReadModelWriter,
  USAGE_CHECKPOINT,
  type UsageMessage,
} from '../src/projection/read-model-writer';
import { usageDays } from '../src/queries/service-account-usage/service-account-usage.handler';
import {
  createIndexes,
  dropReadModels,
  forRebuild,
  openReadModelDb,
} from '../src/store/read-model-db';
import { READ_MODEL_VERSION } from '../src/store/schema';
import { digestReadModels } from '../src/store/table-digest';
import { ADMIN_ADDED, ORG_CREATED, freshReadModel, record, tableContents } from './projection-spec';

/*
 * key_usage_daily: per key, per UTC day, the uses and refused attempts of the usage rollups,
 * written with the totals (key_usage) in the usage batch's transaction, and rebuilt identically.
 */

const DAY_MS = 86_400_000;
/** 2026-03-01T00:00:00Z and the day after, in epoch ms. */
const DAY_1 = Date.UTC(2026, 2, 1);
const DAY_2 = DAY_1 + DAY_MS;

const owner = { kind: 'serviceAccount', id: 'sa_1' } as const;

function rollup(keyId: string, windowEnd: number, uses: number, refused: number): KeyUsageRollup {
  return {
    orgId: 'acme',
    keyId,
    owner,
    verifierId: 'node-1',
    windowStart: windowEnd - 60_000,
    windowEnd,
    lastUsedAt: uses > 0 ? windowEnd - 1_000 : null,
    uses,
    refused,
    refusedByReason: refused > 0 ? { revoked: refused } : {},
    lastRefusedAt: refused > 0 ? windowEnd - 500 : null,
  };
}

/** Two keys over two UTC days, rollups interleaved as several verifier nodes publish them. */
function messages(): UsageMessage[] {
  const rollups = [
    rollup('key_old', DAY_1 + 10 * 3_600_000, 5, 0),
    rollup('key_new', DAY_1 + 23 * 3_600_000, 1, 0),
    rollup('key_old', DAY_1 + 23 * 3_600_000, 4, 0),
    // Exactly midnight is the new day; a millisecond before is still the old one.
    rollup('key_old', DAY_2 - 1, 2, 0),
    rollup('key_old', DAY_2, 0, 3),
    rollup('key_new', DAY_2 + 3_600_000, 7, 0),
    rollup('key_new', DAY_2 + 5 * 3_600_000, 8, 0),
    // Refused attempts only: lastUsedAt is null, the window's end still says which day.
    rollup('key_old', DAY_2 + 6 * 3_600_000, 0, 2),
  ];
  return [
    { sequence: 1, rollup: rollups[0] },
    { sequence: 2, rollup: rollups[1] },
    { sequence: 3, rollup: null }, // not a rollup: skipped, and the checkpoint passes it
    ...rollups.slice(2).map((r, i) => ({ sequence: 4 + i, rollup: r })),
  ];
}

const history = () =>
  record([
    ORG_CREATED,
    ADMIN_ADDED,
    {
      type: 'ServiceAccountCreated',
      data: {
        orgId: 'acme',
        accountId: 'sa_1',
        name: 'CI Bot',
        description: '',
        role: 'reader',
        permissions: ['read'],
        resources: ['*'],
        enableBasicAuth: false,
        createdBy: { kind: 'member', id: 'admin' },
      },
    },
  ]);

const dailyRows = (db: ReturnType<typeof freshReadModel>) =>
  db.prepare(`SELECT key_id, day, uses, refused FROM key_usage_daily ORDER BY key_id, day`).all();

describe('key_usage_daily (usage rollups per key per UTC day)', () => {
  it('puts each rollup on the UTC day its window ended, per key, summed', () => {
    const db = freshReadModel();
    const writer = new ReadModelWriter(db);
    writer.applyEvents(history());
    writer.applyUsage(messages());
    const day1 = DAY_1 / 1000;
    const day2 = DAY_2 / 1000;
    expect(dailyRows(db)).toEqual([
      { key_id: 'key_new', day: day1, uses: 1, refused: 0 },
      { key_id: 'key_new', day: day2, uses: 15, refused: 0 },
      { key_id: 'key_old', day: day1, uses: 11, refused: 0 },
      { key_id: 'key_old', day: day2, uses: 0, refused: 5 },
    ]);
    // The days add up to the totals, which the same transaction wrote.
    expect(db.prepare(`SELECT key_id, uses, refused FROM key_usage ORDER BY key_id`).all()).toEqual(
      [
        { key_id: 'key_new', uses: 16, refused: 0 },
        { key_id: 'key_old', uses: 11, refused: 5 },
      ],
    );
    expect(writer.checkpoint(USAGE_CHECKPOINT)).toBe(9);
  });

  it('applies a batch once, whatever the batch boundaries', () => {
    const whole = freshReadModel();
    const writer = new ReadModelWriter(whole);
    writer.applyUsage(messages());
    const once = tableContents(whole);
    writer.applyUsage(messages());
    writer.applyUsage(messages().slice(2, 6));
    expect(tableContents(whole)).toEqual(once);

    const oneByOne = freshReadModel();
    const other = new ReadModelWriter(oneByOne);
    for (const message of messages()) other.applyUsage([message]);
    expect(tableContents(oneByOne)).toEqual(once);
    expect(digestReadModels(oneByOne)).toEqual(digestReadModels(whole));
  });

  it('is rebuilt identically: dropped and replayed from the store and the usage stream (G5)', () => {
    const db = freshReadModel();
    const writer = new ReadModelWriter(db);
    writer.applyEvents(history());
    writer.applyUsage(messages().slice(0, 4));
    writer.applyUsage(messages().slice(4));
    const before = tableContents(db);
    const digest = digestReadModels(db);
    expect(before.key_usage_daily).toHaveLength(4);
    expect(digest.tables.map((t) => t.table)).toContain('key_usage_daily');

    // As rebuild-read-models does it: drop in place, replay events, then rollups, then index.
    dropReadModels(forRebuild(db));
    expect(dailyRows(db)).toEqual([]);
    const rebuilt = new ReadModelWriter(db);
    rebuilt.applyEvents(history());
    rebuilt.applyUsage(messages());
    createIndexes(db);
    expect(tableContents(db)).toEqual(before);
    expect(digestReadModels(db)).toEqual(digest);
  });

  it('keeps rollups apart by organization', () => {
    const db = freshReadModel();
    new ReadModelWriter(db).applyUsage([
      { sequence: 1, rollup: rollup('key_x', DAY_1, 1, 0) },
      { sequence: 2, rollup: { ...rollup('key_x', DAY_1, 2, 0), orgId: 'globex' } },
    ]);
    expect(db.prepare(`SELECT org_id, uses FROM key_usage_daily ORDER BY org_id`).all()).toEqual([
      { org_id: 'acme', uses: 1 },
      { org_id: 'globex', uses: 2 },
    ]);
  });

  it('counts a rollup whose window end is not an epoch-ms time in the totals only', () => {
    expect(usageDayOf(rollup('k', DAY_1 + 5, 1, 0))).toBe(DAY_1 / 1000);
    expect(usageDayOf(rollup('k', -1, 1, 0))).toBeNull();
    expect(usageDayOf(rollup('k', 1e300, 1, 0))).toBeNull();
    expect(usageDayOf(rollup('k', 1.5, 1, 0))).toBeNull();
  });
});

describe('READ_MODEL_VERSION', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'keyward-read-model-version-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const version = (db: ReturnType<typeof freshReadModel>) =>
    db.prepare(`SELECT value FROM meta WHERE name = 'read_model_version'`).pluck().get();

  it('drops a file of an older version, checkpoints included, so it is replayed from the start', () => {
    const path = join(dir, 'projector.sqlite');
    const db = openReadModelDb(path);
    const writer = new ReadModelWriter(db);
    writer.applyEvents(history());
    writer.applyUsage(messages());
    db.prepare(`INSERT INTO meta (name, value) VALUES ('cursor_secret', 'kept')`).run();
    // As a file from before versions were recorded: no version row, and no daily table.
    db.prepare(`DELETE FROM meta WHERE name = 'read_model_version'`).run();
    db.exec(`DROP TABLE key_usage_daily`);
    db.close();

    const changes: [string | null, number][] = [];
    const reopened = openReadModelDb(path, {
      onVersionChange: (stored, current) => changes.push([stored, current]),
    });
    expect(changes).toEqual([[null, READ_MODEL_VERSION]]);
    expect(version(reopened)).toBe(String(READ_MODEL_VERSION));
    const after = new ReadModelWriter(reopened);
    expect(after.checkpoint(EVENTS_CHECKPOINT)).toBeNull();
    expect(after.checkpoint(USAGE_CHECKPOINT)).toBeNull();
    expect(reopened.prepare(`SELECT count(*) FROM keys`).pluck().get()).toBe(0);
    expect(
      reopened.prepare(`SELECT value FROM meta WHERE name = 'cursor_secret'`).pluck().get(),
    ).toBe('kept');

    // The replay that follows gives what a fresh file gets.
    after.applyEvents(history());
    after.applyUsage(messages());
    const fresh = freshReadModel();
    const writer2 = new ReadModelWriter(fresh);
    writer2.applyEvents(history());
    writer2.applyUsage(messages());
    expect(digestReadModels(reopened)).toEqual(digestReadModels(fresh));
    reopened.close();
  });

  it('keeps a file of the current version, and drops one of another recorded version', () => {
    const path = join(dir, 'projector.sqlite');
    const db = openReadModelDb(path);
    expect(version(db)).toBe(String(READ_MODEL_VERSION));
    new ReadModelWriter(db).applyUsage(messages());
    db.close();

    const changes: unknown[] = [];
    const same = openReadModelDb(path, { onVersionChange: (...args) => changes.push(args) });
    expect(changes).toEqual([]);
    expect(dailyRows(same)).toHaveLength(4);
    same.prepare(`UPDATE meta SET value = '1' WHERE name = 'read_model_version'`).run();
    same.close();

    const older = openReadModelDb(path, { onVersionChange: (...args) => changes.push(args) });
    expect(changes).toEqual([['1', READ_MODEL_VERSION]]);
    expect(dailyRows(older)).toEqual([]);
    older.close();
  });
});

describe('usageDays', () => {
  it('lists the UTC midnights of the days ending today, oldest first', () => {
    const now = DAY_2 + 13 * 3_600_000;
    expect(usageDays(now, 1)).toEqual([DAY_2 / 1000]);
    expect(usageDays(now, 3)).toEqual([(DAY_1 - DAY_MS) / 1000, DAY_1 / 1000, DAY_2 / 1000]);
    expect(usageDays(DAY_2, 2)).toEqual([DAY_1 / 1000, DAY_2 / 1000]);
    expect(usageDays(DAY_2 - 1, 1)).toEqual([DAY_1 / 1000]);
  });
});
