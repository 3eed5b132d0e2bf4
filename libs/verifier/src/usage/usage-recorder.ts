import type { JetStreamClient, JetStreamManager } from 'nats';
import {
  USAGE_STREAM,
  USAGE_SUBJECT_PREFIX,
  usageSubject,
  type InvalidReason,
  type KeyUsageRollup,
} from '@keyward/messaging';
import { keyIdOf, type IndexedKey } from '../key-index/key-index';
import type { Outcome } from '../verify/verification';

interface Counter {
  key: IndexedKey;
  uses: number;
  lastUsedAt: number | null;
  refused: number;
  refusedByReason: Partial<Record<InvalidReason, number>>;
  lastRefusedAt: number | null;
}

const STREAM_NAME_IN_USE = 10058;
const encoder = new TextEncoder();

/**
 * Counts uses and refusals per key in memory and publishes one KeyUsageRollup per used key per
 * window into the durable usage stream. Refusals with a known key (revoked, expired, deleted)
 * are security signals, so they are counted too. A failed publish keeps the counts for the
 * next window rather than dropping them.
 */
export class UsageRecorder {
  private counters = new Map<IndexedKey, Counter>();
  private windowStart = Date.now();
  private flushing?: Promise<void>;

  constructor(
    private readonly js: JetStreamClient,
    private readonly verifierId: string,
    private readonly onError: (message: string) => void,
    /** After each window: rollups published, and those kept for the next window. */
    private readonly onPublished?: (published: number, failed: number) => void,
  ) {}

  /** Creates the usage stream (`replicas` copies on a NATS cluster) unless it exists. */
  static async ensureStream(jsm: JetStreamManager, replicas = 1): Promise<void> {
    try {
      await jsm.streams.add({
        name: USAGE_STREAM,
        subjects: [`${USAGE_SUBJECT_PREFIX}.>`],
        num_replicas: replicas,
      });
    } catch (error) {
      const code = (error as { api_error?: { err_code?: number } }).api_error?.err_code;
      if (code !== STREAM_NAME_IN_USE) throw error;
    }
  }

  record(outcome: Outcome): void {
    const key = outcome.key;
    if (key === undefined) return;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = {
        key,
        uses: 0,
        lastUsedAt: null,
        refused: 0,
        refusedByReason: {},
        lastRefusedAt: null,
      };
      this.counters.set(key, counter);
    }
    const now = Date.now();
    if (outcome.valid) {
      counter.uses += 1;
      counter.lastUsedAt = now;
    } else {
      counter.refused += 1;
      counter.refusedByReason[outcome.reason] = (counter.refusedByReason[outcome.reason] ?? 0) + 1;
      counter.lastRefusedAt = now;
    }
  }

  flush(): Promise<void> {
    this.flushing ??= this.publishWindow().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async publishWindow(): Promise<void> {
    const counters = this.counters;
    const windowStart = this.windowStart;
    const windowEnd = Date.now();
    this.counters = new Map();
    this.windowStart = windowEnd;
    const failed: Counter[] = [];
    await Promise.all(
      [...counters.values()].map(async (counter) => {
        try {
          await this.js.publish(
            usageSubject(counter.key.owner.orgId, keyIdOf(counter.key)),
            encoder.encode(JSON.stringify(this.rollup(counter, windowStart, windowEnd))),
            { msgID: `${this.verifierId}:${keyIdOf(counter.key)}:${windowStart}` },
          );
        } catch {
          failed.push(counter);
        }
      }),
    );
    this.onPublished?.(counters.size - failed.length, failed.length);
    if (failed.length === 0) return;
    this.onError(`usage: ${failed.length} rollups not published; kept for the next window`);
    this.windowStart = windowStart;
    for (const counter of failed) this.merge(counter);
  }

  private merge(old: Counter): void {
    const current = this.counters.get(old.key);
    if (!current) {
      this.counters.set(old.key, old);
      return;
    }
    current.uses += old.uses;
    current.lastUsedAt = current.lastUsedAt ?? old.lastUsedAt;
    current.refused += old.refused;
    current.lastRefusedAt = current.lastRefusedAt ?? old.lastRefusedAt;
    for (const [reason, count] of Object.entries(old.refusedByReason)) {
      const r = reason as InvalidReason;
      current.refusedByReason[r] = (current.refusedByReason[r] ?? 0) + (count ?? 0);
    }
  }

  private rollup(counter: Counter, windowStart: number, windowEnd: number): KeyUsageRollup {
    const { key } = counter;
    return {
      orgId: key.owner.orgId,
      keyId: keyIdOf(key),
      owner: { kind: key.owner.kind, id: key.owner.id },
      verifierId: this.verifierId,
      windowStart,
      windowEnd,
      lastUsedAt: counter.lastUsedAt,
      uses: counter.uses,
      refused: counter.refused,
      refusedByReason: counter.refusedByReason,
      lastRefusedAt: counter.lastRefusedAt,
    };
  }
}
