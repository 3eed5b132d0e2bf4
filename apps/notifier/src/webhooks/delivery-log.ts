import type { WebhookDeliveryStatus } from '@keyward/messaging';
import type { Db } from '../notifier-db';

export interface DeliveryRow {
  id: number;
  event_id: string;
  type: string;
  position: string;
  status: WebhookDeliveryStatus;
  created_at: number;
  next_attempt_at: number | null;
}

export interface AttemptRow {
  delivery_id: number;
  attempt: number;
  at: number;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  outcome: 'delivered' | 'failed';
}

/** The read side of the delivery queue, for the deliveries query: newest first, with attempts. */
export class DeliveryLog {
  private readonly selectPage;
  private readonly selectAttempts;

  constructor(db: Db) {
    this.selectPage = db.prepare(
      `SELECT id, event_id, type, position, status, created_at, next_attempt_at
         FROM webhook_deliveries
        WHERE endpoint_id = @endpointId AND (@status IS NULL OR status = @status)
          AND id < @beforeId
        ORDER BY id DESC LIMIT @limit`,
    );
    this.selectAttempts = db.prepare(
      `SELECT * FROM webhook_attempts
        WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY delivery_id, attempt`,
    );
  }

  /** One endpoint's deliveries before the id `beforeId` (null: from the newest). */
  page(
    endpointId: string,
    status: WebhookDeliveryStatus | null,
    beforeId: number | null,
    limit: number,
  ): DeliveryRow[] {
    return this.selectPage.all({
      endpointId,
      status,
      beforeId: beforeId ?? Number.MAX_SAFE_INTEGER,
      limit,
    }) as DeliveryRow[];
  }

  /** The attempts of these deliveries, by delivery and attempt number. */
  attemptsOf(deliveryIds: readonly number[]): AttemptRow[] {
    return this.selectAttempts.all(JSON.stringify(deliveryIds)) as AttemptRow[];
  }
}
