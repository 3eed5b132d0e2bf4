import type { ExpiryNotificationType, Notification } from '@keyward/messaging';
import type { Deadline } from './expiry-deadlines';
import { ExpiryLeadTable } from './expiry-lead-table';
import { KeyDeadlineTable } from './key-deadline-table';
import { foldedThroughName, openNotifierDb, readPosition, type Db } from './notifier-db';
import type { FoldPart, StoreChange } from './store-changes';
import { DeliveryLog } from './webhooks/delivery-log';
import { WebhookDeliveryQueue } from './webhooks/delivery-queue';
import { WebhookEndpointTable } from './webhooks/endpoint-table';

export interface CheckpointStoreOptions {
  /** The clock deliveries are queued by (epoch ms). */
  now?: () => number;
  /**
   * The lead of `key.expiring_soon` for organizations whose policy sets none (ms; the
   * deployment's `KEYWARD_NOTIFY_EXPIRING_BEFORE_SECONDS`, 7 days unless told).
   */
  defaultExpiryLeadMs?: number;
}

const SEVEN_DAYS_MS = 604_800_000;

/**
 * The notifier's durable checkpoint: the store position up to which every notification was
 * acknowledged by JetStream, written only after the acknowledgements, so a crash publishes again
 * rather than loses.
 *
 * Beside it, what the same events change (`store-changes.ts`): the key deadlines, the
 * organizations' expiry leads, the webhook endpoints and the webhook deliveries of each
 * published notification, all written in the checkpoint's transaction: the tables always reflect exactly the events up to the checkpoint,
 * so a restart resumes them together.
 */
export class CheckpointStore {
  readonly endpoints: WebhookEndpointTable;
  readonly deliveries: WebhookDeliveryQueue;
  readonly deliveryLog: DeliveryLog;
  private readonly db: Db;
  private readonly keyDeadlines: KeyDeadlineTable;
  private readonly leads: ExpiryLeadTable;
  private readonly now: () => number;
  private readonly upsert;
  private readonly writeAll: (position: bigint, changes: readonly StoreChange[]) => void;
  private readonly markSentAll;

  constructor(path: string, options: CheckpointStoreOptions = {}) {
    this.db = openNotifierDb(path);
    this.now = options.now ?? Date.now;
    this.leads = new ExpiryLeadTable(this.db, options.defaultExpiryLeadMs ?? SEVEN_DAYS_MS);
    this.leads.useDefault();
    this.keyDeadlines = new KeyDeadlineTable(this.db, this.leads);
    this.endpoints = new WebhookEndpointTable(this.db);
    this.deliveries = new WebhookDeliveryQueue(this.db);
    this.deliveryLog = new DeliveryLog(this.db);
    this.upsert = this.db.prepare(
      `INSERT INTO checkpoints (name, position) VALUES ('events', ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.writeAll = this.db.transaction((position: bigint, changes: readonly StoreChange[]) => {
      const now = this.now();
      for (const change of changes) this.apply(change, now);
      this.upsert.run(position.toString());
    });
    this.markSentAll = this.db.transaction(
      (
        keyId: string,
        expiresAt: number,
        type: ExpiryNotificationType,
        skipSoon: boolean,
        notification: Notification | undefined,
      ) => {
        this.keyDeadlines.markSent(keyId, expiresAt, type, skipSoon);
        if (notification !== undefined) this.deliver(notification, this.now());
      },
    );
  }

  /**
   * Up to here (inclusive) events are only folded, not published again: set when a file from
   * before a table existed is opened (`notifier-db.ts`). Null: publish everything.
   */
  foldOnlyThrough(): bigint | null {
    return readPosition(this.db, 'fold_only_through');
  }

  /** Up to here (inclusive) `part` already holds the events (an upgraded file); null: none. */
  foldedThrough(part: FoldPart): bigint | null {
    return readPosition(this.db, foldedThroughName(part));
  }

  /** The last position whose notification (if any) is acknowledged; null: nothing yet. */
  read(): bigint | null {
    return readPosition(this.db, 'events');
  }

  /** Advances the checkpoint and applies the changes of the events up to it, at once. */
  write(position: bigint, changes: readonly StoreChange[] = []): void {
    this.writeAll(position, changes);
  }

  /** Deadlines with a notice due at `now` (epoch ms), earliest expiry first. */
  due(now: number, limit = 500): Deadline[] {
    return this.keyDeadlines.due(now, limit);
  }

  /** The earliest time (epoch ms) a notice comes due, or null: none pending. */
  nextDue(): number | null {
    return this.keyDeadlines.nextDue();
  }

  /**
   * Records a notice as sent (after its acknowledgement) and queues its webhook deliveries, at
   * once; `skipSoon` marks the soon notice skipped with it. The mark is a no-op when the key's
   * expiry has changed or it ended meanwhile (the notification went out all the same).
   */
  markSent(
    keyId: string,
    expiresAt: number,
    type: ExpiryNotificationType,
    skipSoon = false,
    notification?: Notification,
  ): void {
    this.markSentAll(keyId, expiresAt, type, skipSoon, notification);
  }

  /** Every deadline, by key id (tests and diagnostics). */
  deadlines(): Deadline[] {
    return this.keyDeadlines.all();
  }

  /** A value kept in the file (e.g. the query cursors' secret), set once. */
  keep(name: string, fresh: string): string {
    this.db.prepare(`INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)`).run(name, fresh);
    return String(this.db.prepare(`SELECT value FROM meta WHERE name = ?`).pluck().get(name));
  }

  close(): void {
    this.db.close();
  }

  private apply(change: StoreChange, now: number): void {
    switch (change.kind) {
      case 'set':
      case 'end':
      case 'endOwner':
        this.keyDeadlines.apply(change);
        return;
      case 'lead':
        this.leads.apply(change);
        return;
      case 'endpointRegistered':
      case 'endpointUpdated':
      case 'endpointEnabled':
        this.endpoints.apply(change);
        return;
      case 'endpointDisabled':
      case 'endpointDeleted':
        this.endpoints.apply(change);
        this.deliveries.abandon(change.id, now);
        return;
      case 'deliver':
        this.deliver(change.notification, now);
        return;
      default: {
        const unhandled: never = change;
        throw new Error(`unhandled change ${JSON.stringify(unhandled)}`);
      }
    }
  }

  private deliver(notification: Notification, now: number): void {
    const takers = this.endpoints.takers(notification.orgId, notification.type);
    if (takers.length > 0) this.deliveries.enqueue(notification, takers, now);
  }
}
