import { Injectable } from '@nestjs/common';
import { decodeEvent } from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import { StoreFollower } from './store-follower';

export interface KeyLocation {
  streamName: string;
  keyId: string;
  orgId: string;
}

/**
 * Finds which stream holds a key, by hash, from the store's own events. A miss first passes
 * the read barrier, so a key issued a moment ago is always found; the owner's stream then
 * decides whether it is still valid.
 */
@Injectable()
export class KeyLocator {
  private readonly byHash = new Map<string, KeyLocation>();

  constructor(private readonly follower: StoreFollower) {
    follower.onEvent((event) => this.apply(event));
  }

  async locate(keyHash: string): Promise<KeyLocation | null> {
    const known = this.byHash.get(keyHash);
    if (known) return known;
    await this.follower.sync();
    return this.byHash.get(keyHash) ?? null;
  }

  /**
   * Many keys at once behind one read barrier, so finding some and missing others costs the
   * same: each answer is as fresh as the store when the call started.
   */
  async locateAll(keyHashes: readonly string[]): Promise<(KeyLocation | null)[]> {
    await this.follower.sync();
    return keyHashes.map((hash) => this.byHash.get(hash) ?? null);
  }

  private apply(recorded: RecordedEvent): void {
    // Only KeyIssued says where a key lives; nothing else needs decoding here.
    if (recorded.type !== 'KeyIssued') return;
    const decoded = decodeEvent(recorded);
    if (!decoded.known || decoded.event.type !== 'KeyIssued') return;
    const { keyHash, keyId, orgId } = decoded.event.data;
    this.byHash.set(keyHash, { streamName: recorded.streamName, keyId, orgId });
  }
}
