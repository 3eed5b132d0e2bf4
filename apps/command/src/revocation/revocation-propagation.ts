import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { createInbox, type NatsConnection } from 'nats';
import type { EventStore } from '@keyward/event-store';
import {
  VERIFIER_SUBJECTS,
  type AwaitPositionReply,
  type AwaitPositionRequest,
  type RevocationReply,
} from '@keyward/messaging';
import { AppError } from '@keyward/transport';
import type { CommandServiceConfig } from '../config';
import { CONFIG, EVENT_STORE, NATS_CONNECTION } from '../tokens';
import { CommandMetrics } from '../metrics/command-metrics';
import { VerifierRoster } from './verifier-roster';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const RECHECK_MS = 50;
/**
 * The question is asked again this often while a live node has not answered: a node whose
 * connection was down when it was first asked (it was failing over to another NATS server)
 * never got it, yet counts as live again as soon as its heartbeats resume.
 */
const REASK_MS = 250;

/**
 * G1: a revocation replies success only once every live verifier has applied it. The question
 * goes to every node at once on a plain subject, and again every `REASK_MS` while some live
 * node has not answered; each answers when it has passed the position, or at once with
 * `fenced` when it is not serving (it then cannot serve before it has). The
 * flush makes sure the server has routed the question before anything the caller sends after
 * our reply, so even a node that joined too recently to be in the roster refuses the revoked
 * keys until it has applied the revocation.
 */
@Injectable()
export class RevocationPropagation {
  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly roster: VerifierRoster,
    @Inject(CONFIG) private readonly config: CommandServiceConfig,
    @Optional() private readonly metrics?: CommandMetrics,
  ) {
    metrics?.countLiveVerifiers(() => roster.live().size);
  }

  /**
   * Resolves with `reply` once every live verifier has applied it; throws 503 otherwise. The
   * reply's `position` is then the position every live node has applied (or, fenced, will have
   * applied before it serves again): the revocation's own, or when nothing was appended (already
   * revoked) the store's head, which an earlier revocation still on its way is at or below.
   */
  async confirmed(reply: RevocationReply): Promise<RevocationReply> {
    const position = reply.position ?? (await this.store.headPosition())?.toString();
    if (position === undefined) return reply; // an empty store: nothing to wait for
    const started = performance.now();
    try {
      await this.awaitVerifiers({ position, keyIds: reply.revokedKeyIds });
    } catch (error) {
      if (error instanceof AppError && error.code === 'REVOCATION.PROPAGATION_TIMEOUT') {
        this.metrics?.propagationTimeouts.inc();
      }
      throw error;
    }
    this.metrics?.propagation.observe((performance.now() - started) / 1000);
    return reply.position === position ? reply : { ...reply, position };
  }

  private async awaitVerifiers(request: AwaitPositionRequest): Promise<void> {
    const inbox = createInbox(this.config.nats.inboxPrefix);
    const confirmed = new Set<string>();
    let pending: Set<string> | undefined; // taken once the question has been routed
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const check = () => {
      if (pending === undefined) return;
      pending = new Set([...pending].filter((id) => !confirmed.has(id) && this.roster.isLive(id)));
      if (pending.size === 0) settle();
    };
    // Each asking has a reply subject of its own: a node may answer each message it got once.
    const subscription = this.connection.subscribe(`${inbox}.*`, {
      callback: (error, msg) => {
        if (error) return;
        try {
          const answer = JSON.parse(decoder.decode(msg.data)) as AwaitPositionReply;
          confirmed.add(answer.verifierId);
          check();
        } catch {
          // ignore a garbled answer; the node stays pending
        }
      },
    });
    const timer = setInterval(check, RECHECK_MS);
    const question = encoder.encode(JSON.stringify(request));
    let asked = 0;
    const ask = () =>
      this.connection.publish(VERIFIER_SUBJECTS.awaitPosition, question, {
        reply: `${inbox}.${++asked}`,
      });
    const reask = setInterval(ask, REASK_MS);
    try {
      ask();
      await this.connection.flush();
      pending = this.roster.live();
      check();
      const timedOut = await Promise.race([
        done.then(() => false),
        new Promise<boolean>((resolve) =>
          setTimeout(() => resolve(true), this.config.revocation.propagationTimeoutMs).unref(),
        ),
      ]);
      if (timedOut)
        throw propagationTimeout(
          request.position,
          [...(pending ?? [])],
          this.config.revocation.propagationTimeoutMs,
        );
    } finally {
      clearInterval(timer);
      clearInterval(reask);
      subscription.unsubscribe();
    }
  }
}

function propagationTimeout(position: string, pending: string[], timeoutMs: number): AppError {
  return new AppError(
    'REVOCATION.PROPAGATION_TIMEOUT',
    'unavailable',
    `the revocation is recorded (position ${position}) but ${pending.length} verifier(s) did ` +
      `not confirm it within ${timeoutMs} ms; retry the revocation to wait again`,
    { position, pendingVerifiers: pending },
  );
}
