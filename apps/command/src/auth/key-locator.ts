import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { EventStore, Position, Subscription } from '@keyward/event-store';
import { AppError } from '../transport/app-error';
import { EVENT_STORE } from '../tokens';

export interface KeyLocation {
  streamName: string;
  keyId: string;
}

interface KeyIssuedData {
  keyId: string;
  keyHash: string;
}

const CATCH_UP_TIMEOUT_MS = 5_000;

/**
 * Finds which stream holds a key, by hash. Built from the store's own subscription; a miss
 * first waits until the index has applied everything committed so far, so a key issued a
 * moment ago is always found (the owner's stream then decides whether it is still valid).
 */
@Injectable()
export class KeyLocator implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KeyLocator.name);
  private readonly byHash = new Map<string, KeyLocation>();
  private applied: Position | null = null;
  private subscription?: Subscription;
  private readonly waiters = new Set<() => void>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  onModuleInit(): void {
    this.subscription = this.store.subscribeToAll({ from: 'start' });
    void this.consume(this.subscription);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.stop();
  }

  async locate(keyHash: string): Promise<KeyLocation | null> {
    const known = this.byHash.get(keyHash);
    if (known) return known;
    await this.catchUpToHead();
    return this.byHash.get(keyHash) ?? null;
  }

  private async consume(subscription: Subscription): Promise<void> {
    try {
      for await (const item of subscription) {
        if (item.kind === 'event') {
          if (item.event.type === 'KeyIssued') {
            const data = item.event.data as KeyIssuedData;
            this.byHash.set(data.keyHash, { streamName: item.event.streamName, keyId: data.keyId });
          }
          this.applied = item.event.position;
        } else if (
          item.position !== null &&
          (this.applied === null || item.position > this.applied)
        ) {
          this.applied = item.position;
        }
        this.waiters.forEach((wake) => wake());
      }
    } catch (error) {
      this.logger.error(`key index subscription ended: ${String(error)}`);
    }
  }

  private async catchUpToHead(): Promise<void> {
    const head = await this.store.headPosition();
    if (head === null) return;
    const reached = () => this.applied !== null && this.applied >= head;
    if (reached()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new AppError('SERVICE.UNAVAILABLE', 'unavailable', 'key index is catching up; retry'),
        );
      }, CATCH_UP_TIMEOUT_MS);
      const check = () => {
        if (!reached()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
    });
  }
}
