import type { ExpiryNotificationType, Notification } from '@keyward/messaging';
import { dueAt, expiryNotification, type Deadline } from './expiry-deadlines';
import type { Publish } from './notify-stream';
import type { ExpiryChange } from './store-changes';

/** The deadline table the scheduler reads and marks (CheckpointStore). */
export interface DeadlineTable {
  due(now: number, limit?: number): Deadline[];
  nextDue(): number | null;
  /** Also queues the notice's webhook deliveries, in the same transaction. */
  markSent(
    keyId: string,
    expiresAt: number,
    type: ExpiryNotificationType,
    skipSoon?: boolean,
    notification?: Notification,
  ): void;
}

export interface SchedulerOptions {
  now?: () => number;
  /** The longest timer (ms): a bound, not a poll; a clock jump is noticed by then. */
  maxSleepMs?: number;
  /** After a failed publish, the next attempt (ms). */
  retryMs?: number;
  onSent?: (type: ExpiryNotificationType) => void;
  onError?: (error: unknown) => void;
}

const BATCH = 500;

/**
 * Fires the expiry notices when they come due: once started (after the relay caught up), then
 * on one timer set to the next deadline in the table, moved earlier when the relay checkpoints a
 * nearer one (`deadlinesChanged`: a key's expiry, or an organization's lead, which the table
 * planned the soon notices with). Each notice is published with its deterministic id and then
 * recorded as sent: a crash in between re-sends it with the same id (at least once).
 */
export class ExpiryScheduler {
  private timer?: NodeJS.Timeout;
  private wakeAt: number | null = null;
  private started = false;
  private stopped = false;
  private running?: Promise<void>;
  private again = false;
  private readonly now: () => number;

  constructor(
    private readonly table: DeadlineTable,
    private readonly publish: Publish,
    private readonly options: SchedulerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.started = true;
    this.wake(this.now());
  }

  /** The relay checkpointed new deadlines or leads: wake earlier if one is due before the timer. */
  deadlinesChanged(changes: readonly ExpiryChange[]): void {
    if (!changes.some((change) => change.kind === 'set' || change.kind === 'lead')) return;
    if (!this.started || this.stopped) return;
    const next = this.table.nextDue();
    if (next !== null) this.wake(next);
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Makes sure a run happens at `at` (epoch ms) or earlier. */
  private wake(at: number): void {
    if (!this.started || this.stopped) return;
    if (this.running !== undefined) {
      // A run is under way; it re-reads the table when it ends if this is due by then.
      if (at <= this.now()) this.again = true;
      else this.arm(at);
      return;
    }
    this.arm(at);
  }

  private arm(at: number): void {
    if (this.wakeAt !== null && this.wakeAt <= at) return;
    clearTimeout(this.timer);
    const delay = Math.max(0, Math.min(at - this.now(), this.options.maxSleepMs ?? 3_600_000));
    this.wakeAt = this.now() + delay;
    this.timer = setTimeout(() => {
      this.wakeAt = null;
      this.timer = undefined;
      this.running = this.run().finally(() => (this.running = undefined));
    }, delay);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      do {
        this.again = false;
        while (!this.stopped && (await this.fireDue()) === BATCH);
      } while (this.again && !this.stopped);
    } catch (error) {
      this.options.onError?.(error);
      this.arm(this.now() + (this.options.retryMs ?? 1_000));
      return;
    }
    const next = this.table.nextDue();
    if (next !== null && !this.stopped) this.arm(next);
  }

  /** Publishes what is due now, concurrently; returns how many deadlines it looked at. */
  private async fireDue(): Promise<number> {
    const now = this.now();
    const due = this.table.due(now, BATCH);
    const results = await Promise.allSettled(
      due.map(async (deadline) => {
        const { send, skipSoon } = dueAt(deadline, now);
        if (send === null) return;
        const notification = expiryNotification(deadline, send);
        await this.publish(notification);
        this.table.markSent(deadline.keyId, deadline.expiresAt, send, skipSoon, notification);
        this.options.onSent?.(send);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return due.length;
  }
}
