import type { StoreChange } from '../store-changes';
import type {
  AttemptRecord,
  AttemptResult,
  DueDelivery,
  WebhookDeliveryQueue,
} from './delivery-queue';
import type { WebhookEndpointTable } from './endpoint-table';
import type { EndpointSecrets } from './endpoint-secrets';
import type { DisableFailingEndpoint } from './failing-endpoint-disabler';
import { retryAt, type RetryPolicy } from './retry-schedule';
import type { SendWebhook } from './webhook-sender';

export interface DispatcherLog {
  warn(message: string): void;
  error(message: string): void;
}

export interface DispatcherOptions {
  /** `KEYWARD_WEBHOOK_CONCURRENCY`: attempts in flight at most. */
  concurrency: number;
  /**
   * Attempts in flight to one endpoint at most (default three quarters of the concurrency), so
   * an endpoint that hangs until every timeout leaves room for the others.
   */
  perEndpoint?: number;
  retry: RetryPolicy;
  /** `KEYWARD_WEBHOOK_DISABLE_AFTER_SECONDS` in ms. */
  disableAfterMs: number;
  /** Null without an operator token: a failing endpoint is logged, not disabled. */
  disable: DisableFailingEndpoint | null;
  /** `KEYWARD_WEBHOOK_LOG_RETENTION_DAYS` in ms: finished deliveries older are pruned. */
  retentionMs: number;
  log: DispatcherLog;
  now?: () => number;
  random?: () => number;
  /** The longest timer (ms): a bound, not a poll; a clock jump is noticed by then. */
  maxSleepMs?: number;
  pruneEveryMs?: number;
  /** After a refused or failed disable request, the next try (ms). */
  disableRetryMs?: number;
  onAttempt?: (result: AttemptResult) => void;
  /** A delivery's first attempt starts, this many seconds after its event was recorded. */
  onFirstAttempt?: (secondsSinceCommit: number) => void;
  onError?: (error: unknown) => void;
}

/**
 * Sends the webhook deliveries when they are due (docs/webhooks.md): woken by every checkpoint
 * that queued deliveries (`changed`), by each attempt's end, and otherwise by one timer set to
 * the next retry. Each lane (endpoint + notification target) has one delivery in flight at most,
 * in queue order; at most `concurrency` attempts run at once. A failed attempt is retried with
 * backoff until the retry window ends; an endpoint whose attempts have all failed for
 * `disableAfterMs` is disabled through the command service (and not attempted meanwhile).
 */
export class WebhookDispatcher {
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly inFlightLanes = new Set<string>();
  private readonly perEndpoint = new Map<string, number>();
  /** Endpoints being disabled: nothing is attempted until the fold says what became of them. */
  private readonly disabling = new Set<string>();
  private readonly disableAgainAt = new Map<string, number>();
  private readonly toldNoToken = new Set<string>();
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly endpointLimit: number;
  private timer?: NodeJS.Timeout;
  private wakeAt: number | null = null;
  private pumpQueued = false;
  private started = false;
  private stopped = false;
  private lastPrune = -Infinity;
  /** Attempts ended and not recorded yet: the next pump records them in one transaction. */
  private ended: AttemptRecord[] = [];

  constructor(
    private readonly queue: WebhookDeliveryQueue,
    private readonly endpoints: WebhookEndpointTable,
    private readonly secrets: EndpointSecrets,
    private readonly send: SendWebhook,
    private readonly options: DispatcherOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.endpointLimit =
      options.perEndpoint ?? Math.max(1, Math.ceil((options.concurrency * 3) / 4));
  }

  start(): void {
    this.started = true;
    this.wake();
  }

  /** The relay checkpointed changes: new deliveries, or endpoints that changed. */
  changed(changes: readonly StoreChange[]): void {
    let wake = false;
    for (const change of changes) {
      const endpointId = endpointIdOf(change);
      if (endpointId !== null) {
        this.disabling.delete(endpointId);
        this.disableAgainAt.delete(endpointId);
      }
      if (endpointId !== null || change.kind === 'deliver') wake = true;
    }
    if (wake) this.wake();
  }

  /** Looks for due work on the next turn of the event loop (calls coalesce). */
  wake(): void {
    if (!this.started || this.stopped || this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Stops starting attempts and waits for those in flight (each bounded by its timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight.values()]);
    this.recordEnded();
  }

  /** Attempts in flight now. */
  get active(): number {
    return this.inFlight.size;
  }

  private pump(): void {
    this.recordEnded();
    if (this.stopped) return;
    const now = this.now();
    try {
      this.pruneNow(now);
      this.disableFailing(now);
      const free = this.options.concurrency - this.inFlight.size;
      if (free <= 0) return; // an attempt's end pumps again
      const excluded = this.excludedEndpoints();
      const due = this.queue.due(now, free, {
        deliveries: [...this.inFlight.keys()],
        endpoints: excluded,
      });
      for (const delivery of due) this.begin(delivery, now);
      if (due.length === free) return;
      this.arm(this.nextWake(now, excluded));
    } catch (error) {
      this.options.onError?.(error);
      this.arm(now + 1_000);
    }
  }

  private begin(delivery: DueDelivery, now: number): void {
    const lane = `${delivery.endpointId}\n${delivery.lane}`;
    const count = this.perEndpoint.get(delivery.endpointId) ?? 0;
    if (this.inFlightLanes.has(lane) || count >= this.endpointLimit) return;
    this.inFlightLanes.add(lane);
    this.perEndpoint.set(delivery.endpointId, count + 1);
    const attempt = delivery.attempts + 1;
    if (attempt === 1) this.options.onFirstAttempt?.((now - delivery.committedAt) / 1000);
    const run = this.attempt(delivery)
      .then((result) => this.record(delivery, attempt, now, result))
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.inFlight.delete(delivery.id);
        this.inFlightLanes.delete(lane);
        const left = (this.perEndpoint.get(delivery.endpointId) ?? 1) - 1;
        if (left > 0) this.perEndpoint.set(delivery.endpointId, left);
        else this.perEndpoint.delete(delivery.endpointId);
        this.wake();
      });
    this.inFlight.set(delivery.id, run);
  }

  private async attempt(delivery: DueDelivery): Promise<AttemptResult> {
    let secret: string;
    try {
      secret = this.secrets.open(delivery.endpointId, delivery.sealedSecret);
    } catch (error) {
      const message = `signing secret cannot be opened: ${(error as Error).message}`;
      return { outcome: 'failed', statusCode: null, latencyMs: 0, error: message };
    }
    return this.send({ url: delivery.url, secret, id: delivery.eventId, body: delivery.body });
  }

  /**
   * Queues an ended attempt for the next pump, which records it before it looks for due
   * deliveries (so a delivery just attempted is never picked again on its old schedule). A crash
   * before the record attempts it again: at least once.
   */
  private record(delivery: DueDelivery, attempt: number, at: number, result: AttemptResult) {
    const now = this.now();
    const firstAttemptAt = delivery.firstAttemptAt ?? at;
    this.ended.push({
      ...result,
      delivery,
      attempt,
      at,
      now,
      retryAt:
        result.outcome === 'failed'
          ? retryAt(attempt, firstAttemptAt, now, this.options.retry, this.random)
          : null,
    });
    this.options.onAttempt?.(result);
  }

  private recordEnded(): void {
    if (this.ended.length === 0) return;
    const ended = this.ended;
    this.ended = [];
    try {
      this.queue.record(...ended);
    } catch (error) {
      // Not recorded: those deliveries are attempted again on their old schedule.
      this.options.onError?.(error);
    }
  }

  /** Endpoints failing for the whole window: ask for each to be disabled, once at a time. */
  private disableFailing(now: number): void {
    for (const endpoint of this.endpoints.failing()) {
      if (now < endpoint.failingSince + this.options.disableAfterMs) continue;
      if (this.disabling.has(endpoint.id)) continue;
      if ((this.disableAgainAt.get(endpoint.id) ?? 0) > now) continue;
      const since = new Date(endpoint.failingSince).toISOString();
      const disable = this.options.disable;
      if (disable === null) {
        if (!this.toldNoToken.has(endpoint.id)) {
          this.toldNoToken.add(endpoint.id);
          this.options.log.error(
            `webhook endpoint ${endpoint.id} (${endpoint.orgId}) has failed since ${since}, but ` +
              'the notifier has no KEYWARD_OPERATOR_TOKEN to disable it: it stays enabled',
          );
        }
        continue;
      }
      this.disabling.add(endpoint.id);
      this.options.log.warn(
        `disabling webhook endpoint ${endpoint.id} (${endpoint.orgId}): every attempt has ` +
          `failed since ${since}; last error: ${endpoint.lastError ?? 'none'}`,
      );
      disable(endpoint).catch((error: unknown) => {
        this.disabling.delete(endpoint.id);
        this.disableAgainAt.set(endpoint.id, this.now() + (this.options.disableRetryMs ?? 60_000));
        this.options.log.error(
          `disabling webhook endpoint ${endpoint.id} failed, retrying later: ${String(error)}`,
        );
        this.wake();
      });
    }
  }

  private excludedEndpoints(): string[] {
    const busy = [...this.perEndpoint].filter(([, n]) => n >= this.endpointLimit).map(([id]) => id);
    return [...this.disabling, ...busy];
  }

  /** The next retry, failing window's end or prune, bounded by `maxSleepMs`. */
  private nextWake(now: number, excluded: readonly string[]): number {
    const times = [now + (this.options.maxSleepMs ?? 60_000), this.lastPrune + this.pruneEvery()];
    const next = this.queue.nextAttemptAfter(now, excluded);
    if (next !== null) times.push(next);
    if (this.options.disable !== null) {
      for (const endpoint of this.endpoints.failing()) {
        if (this.disabling.has(endpoint.id)) continue;
        const end = endpoint.failingSince + this.options.disableAfterMs;
        times.push(Math.max(end, this.disableAgainAt.get(endpoint.id) ?? end));
      }
    }
    return Math.min(...times);
  }

  private arm(at: number): void {
    if (this.stopped) return;
    const now = this.now();
    if (
      this.timer !== undefined &&
      this.wakeAt !== null &&
      this.wakeAt <= at &&
      this.wakeAt > now
    ) {
      return;
    }
    clearTimeout(this.timer);
    this.wakeAt = Math.max(now, at);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = null;
      this.pump();
    }, this.wakeAt - now);
    this.timer.unref();
  }

  private pruneNow(now: number): void {
    if (now - this.lastPrune < this.pruneEvery()) return;
    this.lastPrune = now;
    this.queue.prune(now - this.options.retentionMs);
  }

  private pruneEvery(): number {
    return this.options.pruneEveryMs ?? 3_600_000;
  }
}

function endpointIdOf(change: StoreChange): string | null {
  switch (change.kind) {
    case 'endpointRegistered':
      return change.endpoint.id;
    case 'endpointUpdated':
    case 'endpointDisabled':
    case 'endpointEnabled':
    case 'endpointDeleted':
      return change.id;
    default:
      return null;
  }
}
