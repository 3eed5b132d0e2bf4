import { Events, type Msg, type NatsConnection, type Subscription } from 'nats';
import type { Position } from '@keyward/event-store';
import {
  VERIFIER_SUBJECTS,
  type AwaitPositionReply,
  type AwaitPositionRequest,
  type VerifierHeartbeat,
} from '@keyward/messaging';
import type { Freshness } from '../freshness/freshness';
import type { RevocationFences } from './revocation-fences';

interface Waiter {
  position: Position;
  msg: Msg;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * This node's half of G1. It announces itself with heartbeats, and answers a command service's
 * "have you applied position P?" once it has; or, while it is not serving, at once with
 * `fenced` after voiding every proof of freshness older than the question, so it cannot serve
 * again before it has caught up with a store that already holds P.
 */
export class PropagationResponder {
  private subscription?: Subscription;
  private heartbeat?: NodeJS.Timeout;
  private watcher?: NodeJS.Timeout;
  private waiters: Waiter[] = [];
  private stopped = false;

  constructor(
    private readonly connection: NatsConnection,
    private readonly verifierId: string,
    private readonly freshness: Freshness,
    private readonly fences: RevocationFences,
    private readonly heartbeatIntervalMs: number,
  ) {}

  /** Subscribes before the node serves, so no revocation announced after that is missed. */
  async start(): Promise<void> {
    this.subscription = this.connection.subscribe(VERIFIER_SUBJECTS.awaitPosition, {
      callback: (error, msg) => error || this.onAwait(msg),
    });
    await this.connection.flush();
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatIntervalMs);
    this.watcher = setInterval(() => this.releaseIfNotServing(), 50);
    this.beat();
    void this.watchConnection();
  }

  /** Call after the node stopped answering verify requests. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    clearInterval(this.watcher);
    this.subscription?.unsubscribe();
    this.beat(true);
  }

  /** Called as the node applies events. */
  advanced(): void {
    this.fences.prune();
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => {
      if (!this.freshness.hasApplied(waiter.position)) return true;
      this.reply(waiter.msg, 'applied');
      return false;
    });
  }

  private onAwait(msg: Msg): void {
    let position: Position;
    let keyIds: string[];
    try {
      const request = JSON.parse(decoder.decode(msg.data)) as AwaitPositionRequest;
      position = BigInt(request.position);
      keyIds = Array.isArray(request.keyIds) ? request.keyIds.map(String) : [];
    } catch {
      return; // not from a command service; nothing to confirm
    }
    if (this.freshness.hasApplied(position)) {
      this.reply(msg, 'applied');
      return;
    }
    this.fences.add(keyIds, position);
    if (!this.freshness.isServing()) {
      this.freshness.fence();
      this.reply(msg, 'fenced');
      return;
    }
    this.waiters.push({ position, msg });
  }

  /** A node that goes stale while others wait for it fences itself and says so. */
  private releaseIfNotServing(): void {
    if (this.waiters.length === 0 || this.freshness.isServing()) return;
    this.freshness.fence();
    for (const waiter of this.waiters) this.reply(waiter.msg, 'fenced');
    this.waiters = [];
  }

  private reply(msg: Msg, state: AwaitPositionReply['state']): void {
    const applied = this.freshness.appliedPosition;
    const reply: AwaitPositionReply = {
      verifierId: this.verifierId,
      applied: applied === null ? null : applied.toString(),
      state,
    };
    msg.respond(encoder.encode(JSON.stringify(reply)));
  }

  private beat(leaving = false): void {
    const applied = this.freshness.appliedPosition;
    const heartbeat: VerifierHeartbeat = {
      verifierId: this.verifierId,
      applied: applied === null ? null : applied.toString(),
      serving: !leaving && this.freshness.isServing(),
      ...(leaving ? { leaving } : {}),
    };
    this.connection.publish(VERIFIER_SUBJECTS.heartbeat, encoder.encode(JSON.stringify(heartbeat)));
  }

  /**
   * G3 on reconnect: whatever was announced while disconnected never arrived, so every proof of
   * freshness from before the reconnect is void; the node serves again once it has caught up
   * with the store as it is now.
   */
  private async watchConnection(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (this.stopped) return;
      if (status.type === Events.Disconnect || status.type === Events.Reconnect) {
        this.freshness.fence();
      }
    }
  }
}
