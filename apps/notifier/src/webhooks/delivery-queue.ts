import type { Notification } from '@keyward/messaging';
import type { Db } from '../notifier-db';

/** A pending delivery whose turn has come, with what an attempt needs. */
export interface DueDelivery {
  id: number;
  endpointId: string;
  orgId: string;
  /** The notification's eventId: the `webhook-id` header. */
  eventId: string;
  lane: string;
  /** The notification JSON, exactly as published on NATS. */
  body: string;
  /** Attempts made so far. */
  attempts: number;
  firstAttemptAt: number | null;
  /** Epoch ms: when the event was recorded (or the notice came due). */
  committedAt: number;
  url: string;
  sealedSecret: string;
}

/** How one attempt went. */
export interface AttemptResult {
  outcome: 'delivered' | 'failed';
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

export interface AttemptRecord extends AttemptResult {
  delivery: Pick<DueDelivery, 'id' | 'endpointId' | 'lane'>;
  /** 1 for the first. */
  attempt: number;
  /** Epoch ms, when it started. */
  at: number;
  /** For a failed attempt, when to try again; null: the retry window is over (`failed`). */
  retryAt: number | null;
  /** Epoch ms, when it ended. */
  now: number;
}

/**
 * The webhook delivery queue and its attempt log (`webhook_deliveries`, `webhook_attempts`).
 * Deliveries are enqueued inside the checkpoint's transaction (or the expiry notice's sent-mark),
 * so none is lost to a crash. Per lane (one endpoint, one notification target) only the oldest
 * pending delivery has a `next_attempt_at`; the others wait (NULL) and the next one is promoted
 * when it finishes, which keeps each lane in order.
 */
export class WebhookDeliveryQueue {
  private readonly insert;
  private readonly laneBusy;
  private readonly abandonAll;
  private readonly selectDue;
  private readonly selectNextAfter;
  private readonly insertAttempt;
  private readonly finish;
  private readonly reschedule;
  private readonly promote;
  private readonly endpointDelivered;
  private readonly endpointFailed;
  private readonly countPending;
  private readonly selectPrunable;
  private readonly deleteAttempts;
  private readonly deleteDelivery;
  private readonly deleteGoneEndpoints;
  private readonly recordAll: (records: readonly AttemptRecord[]) => void;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO webhook_deliveries (endpoint_id, event_id, lane, type, position, body,
         created_at, committed_at, next_attempt_at)
       VALUES (@endpointId, @eventId, @lane, @type, @position, @body, @now, @committedAt,
         @nextAttemptAt)`,
    );
    this.laneBusy = db
      .prepare(
        `SELECT 1 FROM webhook_deliveries
          WHERE endpoint_id = ? AND lane = ? AND status = 'pending' LIMIT 1`,
      )
      .pluck();
    this.abandonAll = db.prepare(
      `UPDATE webhook_deliveries SET status = 'abandoned', next_attempt_at = NULL, finished_at = ?
        WHERE endpoint_id = ? AND status = 'pending'`,
    );
    this.selectDue = db.prepare(
      `SELECT d.id, d.endpoint_id AS endpointId, e.org_id AS orgId, d.event_id AS eventId,
           d.lane, d.body, d.attempts, d.first_attempt_at AS firstAttemptAt,
           d.committed_at AS committedAt, e.url, e.sealed_secret AS sealedSecret
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND e.status = 'enabled'
          AND d.id NOT IN (SELECT value FROM json_each(@deliveries))
          AND d.endpoint_id NOT IN (SELECT value FROM json_each(@endpoints))
        ORDER BY d.next_attempt_at LIMIT @limit`,
    );
    this.selectNextAfter = db
      .prepare(
        `SELECT next_attempt_at FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at > @now
            AND endpoint_id NOT IN (SELECT value FROM json_each(@endpoints))
          ORDER BY next_attempt_at LIMIT 1`,
      )
      .pluck();
    this.insertAttempt = db.prepare(
      `INSERT OR REPLACE INTO webhook_attempts
         (delivery_id, attempt, at, status_code, latency_ms, error, outcome)
       VALUES (@id, @attempt, @at, @statusCode, @latencyMs, @error, @outcome)`,
    );
    this.finish = db.prepare(
      `UPDATE webhook_deliveries SET status = @status, attempts = @attempt,
         first_attempt_at = COALESCE(first_attempt_at, @at), next_attempt_at = NULL,
         finished_at = @now
       WHERE id = @id AND status = 'pending'`,
    );
    this.reschedule = db.prepare(
      `UPDATE webhook_deliveries SET attempts = @attempt,
         first_attempt_at = COALESCE(first_attempt_at, @at), next_attempt_at = @retryAt
       WHERE id = @id AND status = 'pending'`,
    );
    this.promote = db.prepare(
      `UPDATE webhook_deliveries SET next_attempt_at = @now
        WHERE id = (SELECT id FROM webhook_deliveries
                     WHERE endpoint_id = @endpointId AND lane = @lane AND status = 'pending'
                     ORDER BY id LIMIT 1)
          AND next_attempt_at IS NULL`,
    );
    this.endpointDelivered = db.prepare(
      `UPDATE webhook_endpoints SET failing_since = NULL, last_delivery_at = @at,
         last_delivery_status = 'delivered', last_error = NULL
       WHERE id = @endpointId`,
    );
    // The failing window starts at the first failure after the last success, and only while
    // the endpoint is enabled (a disabled one keeps what its Disabled event said).
    this.endpointFailed = db.prepare(
      `UPDATE webhook_endpoints SET
         failing_since = CASE WHEN status = 'enabled' THEN COALESCE(failing_since, @at)
                              ELSE failing_since END,
         last_delivery_at = @at, last_delivery_status = 'failed', last_error = @error
       WHERE id = @endpointId`,
    );
    this.countPending = db
      .prepare(`SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'`)
      .pluck();
    this.selectPrunable = db
      .prepare(
        `SELECT id FROM webhook_deliveries
          WHERE status <> 'pending' AND finished_at < ? ORDER BY finished_at LIMIT ?`,
      )
      .pluck();
    this.deleteAttempts = db.prepare(`DELETE FROM webhook_attempts WHERE delivery_id = ?`);
    this.deleteDelivery = db.prepare(`DELETE FROM webhook_deliveries WHERE id = ?`);
    this.deleteGoneEndpoints = db.prepare(
      `DELETE FROM webhook_endpoints WHERE status = 'deleted' AND updated_at < ?
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = webhook_endpoints.id)`,
    );
    this.recordAll = db.transaction((records: readonly AttemptRecord[]) => {
      for (const record of records) this.recordAttempt(record);
    });
  }

  /**
   * One delivery of the notification per endpoint (call inside the checkpoint's transaction);
   * a notification already queued for an endpoint (a re-sent expiry notice) is not queued again.
   */
  enqueue(notification: Notification, endpointIds: readonly string[], now: number): number {
    const lane = `${notification.target.kind}:${notification.target.id}`;
    const body = JSON.stringify(notification);
    const committedAt = Date.parse(notification.occurredAt);
    let queued = 0;
    for (const endpointId of endpointIds) {
      const behind = this.laneBusy.get(endpointId, lane) !== undefined;
      queued += this.insert.run({
        endpointId,
        eventId: notification.eventId,
        lane,
        type: notification.type,
        position: notification.position,
        body,
        now,
        committedAt: Number.isFinite(committedAt) ? committedAt : now,
        nextAttemptAt: behind ? null : now,
      }).changes;
    }
    return queued;
  }

  /** Every pending delivery of the endpoint (disabled or deleted): call inside the fold's transaction. */
  abandon(endpointId: string, now: number): number {
    return this.abandonAll.run(now, endpointId).changes;
  }

  /** Lane heads due at `now`, earliest first, but for those in flight and the endpoints left out. */
  due(
    now: number,
    limit: number,
    exclude: { deliveries: readonly number[]; endpoints: readonly string[] },
  ): DueDelivery[] {
    return this.selectDue.all({
      now,
      limit,
      deliveries: JSON.stringify(exclude.deliveries),
      endpoints: JSON.stringify(exclude.endpoints),
    }) as DueDelivery[];
  }

  /** The next attempt after `now` of an endpoint not left out, or null: none scheduled. */
  nextAttemptAfter(now: number, excludedEndpoints: readonly string[]): number | null {
    const next = this.selectNextAfter.get({ now, endpoints: JSON.stringify(excludedEndpoints) });
    return (next as number | undefined) ?? null;
  }

  /** The attempts, the deliveries' new states and the endpoints', in one transaction. */
  record(...records: AttemptRecord[]): void {
    this.recordAll(records);
  }

  pending(): number {
    return this.countPending.get() as number;
  }

  /**
   * Deletes finished deliveries (and their attempts) that finished before `before`, `batch` per
   * transaction, and deleted endpoints left without deliveries; answers how many deliveries.
   */
  prune(before: number, batch = 1_000): number {
    let pruned = 0;
    const pruneBatch = this.db.transaction(() => {
      const ids = this.selectPrunable.all(before, batch) as number[];
      for (const id of ids) {
        this.deleteAttempts.run(id);
        this.deleteDelivery.run(id);
      }
      return ids.length;
    });
    for (let n = batch; n === batch; pruned += n) n = pruneBatch();
    this.deleteGoneEndpoints.run(before);
    return pruned;
  }

  private recordAttempt(record: AttemptRecord): void {
    const { delivery } = record;
    this.insertAttempt.run({
      id: delivery.id,
      attempt: record.attempt,
      at: record.at,
      statusCode: record.statusCode,
      latencyMs: record.latencyMs,
      error: record.error,
      outcome: record.outcome,
    });
    const row = { id: delivery.id, attempt: record.attempt, at: record.at, now: record.now };
    const lane = { endpointId: delivery.endpointId, lane: delivery.lane, now: record.now };
    if (record.outcome === 'delivered') {
      if (this.finish.run({ ...row, status: 'delivered' }).changes > 0) this.promote.run(lane);
      this.endpointDelivered.run({ endpointId: delivery.endpointId, at: record.at });
      return;
    }
    if (record.retryAt !== null) this.reschedule.run({ ...row, retryAt: record.retryAt });
    else if (this.finish.run({ ...row, status: 'failed' }).changes > 0) this.promote.run(lane);
    this.endpointFailed.run({
      endpointId: delivery.endpointId,
      at: record.at,
      error: record.error,
    });
  }
}
