import type { Position } from '@keyward/event-store';

/*
 * Keys a command service has announced as revoked at a position this node has not applied yet:
 * refused as unavailable until it has. This covers a node the command service did not wait for
 * (one that joined a moment ago): the announcement reaches it before any later verify request.
 */
export class RevocationFences {
  private readonly fences = new Map<string, Position>();

  constructor(private readonly hasApplied: (position: Position) => boolean) {}

  add(keyIds: readonly string[], position: Position): void {
    if (this.hasApplied(position)) return;
    for (const keyId of keyIds) {
      const current = this.fences.get(keyId);
      if (current === undefined || current < position) this.fences.set(keyId, position);
    }
  }

  /** True while no fence is up: the common case, checked before a key id is even formatted. */
  get isEmpty(): boolean {
    return this.fences.size === 0;
  }

  blocks(keyId: string): boolean {
    if (this.fences.size === 0) return false;
    const position = this.fences.get(keyId);
    if (position === undefined) return false;
    if (!this.hasApplied(position)) return true;
    this.fences.delete(keyId);
    return false;
  }

  /** Drops fences the node has passed; called as it advances. */
  prune(): void {
    if (this.fences.size === 0) return;
    for (const [keyId, position] of this.fences) {
      if (this.hasApplied(position)) this.fences.delete(keyId);
    }
  }
}
