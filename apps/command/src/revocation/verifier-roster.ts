import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from 'nats';
import { VERIFIER_SUBJECTS, type VerifierHeartbeat } from '@keyward/messaging';
import type { CommandServiceConfig } from '../config';
import { CONFIG, NATS_CONNECTION } from '../tokens';

interface Sighting {
  lastSeen: number;
  serving: boolean;
}

const decoder = new TextDecoder();

/**
 * The verifier nodes this service has heard from lately. A node silent for longer than the
 * liveness window (staleness bound + heartbeat interval + margin) has been unable to prove it
 * is caught up for longer than the staleness bound, so it refuses every key (G2) and a
 * revocation need not wait for it.
 */
@Injectable()
export class VerifierRoster implements OnModuleInit, OnApplicationShutdown {
  private readonly nodes = new Map<string, Sighting>();
  private subscription?: Subscription;
  private readonly livenessMs: number;

  constructor(
    @Inject(NATS_CONNECTION) private readonly connection: NatsConnection,
    @Inject(CONFIG) config: CommandServiceConfig,
  ) {
    this.livenessMs = config.revocation.verifierLivenessMs;
  }

  onModuleInit(): void {
    this.subscription = this.connection.subscribe(VERIFIER_SUBJECTS.heartbeat, {
      callback: (error, msg) => {
        if (error) return;
        try {
          const beat = JSON.parse(decoder.decode(msg.data)) as VerifierHeartbeat;
          if (typeof beat.verifierId !== 'string') return;
          // A node that left no longer answers verify requests, so nothing waits for it.
          if (beat.leaving === true) {
            this.nodes.delete(beat.verifierId);
            return;
          }
          this.nodes.set(beat.verifierId, { lastSeen: performance.now(), serving: !!beat.serving });
        } catch {
          // not a heartbeat
        }
      },
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  live(): Set<string> {
    const now = performance.now();
    const live = new Set<string>();
    for (const [id, sighting] of this.nodes) {
      if (now - sighting.lastSeen <= this.livenessMs) live.add(id);
      else this.nodes.delete(id);
    }
    return live;
  }

  isLive(id: string): boolean {
    const sighting = this.nodes.get(id);
    return sighting !== undefined && performance.now() - sighting.lastSeen <= this.livenessMs;
  }
}
