import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  serviceAccountDecider,
  serviceAccountNameDecider,
  serviceAccountNameStream,
  serviceAccountStream,
  type ServiceAccountNameState,
} from '@keyward/domain';
import type { RecordedEvent } from '@keyward/event-store';
import type { CommandContext, EventMetadata } from '../pipeline/command-context';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { CLOCK, type Clock } from '../tokens';

/**
 * How long a reservation whose account stream does not exist yet still counts: covers the gap
 * between reserving a name and creating the account, after which a crashed create frees it.
 */
const PENDING_CREATE_GRACE_MS = 30_000;

/** Unique active names per org, decided in the write model (one stream per name). */
@Injectable()
export class ServiceAccountNames {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async reserve(orgId: string, name: string, accountId: string, context: CommandContext) {
    await this.pipeline.run({
      streamName: serviceAccountNameStream(orgId, nameKey(name)),
      decider: serviceAccountNameDecider,
      commandType: 'ReserveServiceAccountName',
      context,
      command: async (state, lastEvent) => ({
        type: 'ReserveServiceAccountName' as const,
        data: {
          orgId,
          name,
          accountId,
          holderStillHoldsName: await this.held(state, lastEvent, name),
        },
      }),
    });
  }

  async release(orgId: string, name: string, accountId: string, context: CommandContext) {
    await this.pipeline.run({
      streamName: serviceAccountNameStream(orgId, nameKey(name)),
      decider: serviceAccountNameDecider,
      commandType: 'ReleaseServiceAccountName',
      context,
      command: () => ({
        type: 'ReleaseServiceAccountName' as const,
        data: { orgId, name, accountId },
      }),
    });
  }

  private async held(
    state: ServiceAccountNameState,
    lastEvent: RecordedEvent | null,
    name: string,
  ): Promise<boolean> {
    if (state.type === 'Free') return false;
    const stream = serviceAccountStream(state.data.accountId);
    const { state: holder } = await this.pipeline.load(stream, serviceAccountDecider);
    if (holder.type === 'Missing') return this.reservedRecently(lastEvent);
    return holder.type === 'Active' && nameKey(holder.data.name) === nameKey(name);
  }

  private reservedRecently(reservation: RecordedEvent | null): boolean {
    if (reservation === null) return false;
    const reservedAt = Date.parse((reservation.metadata as EventMetadata).occurredAt);
    return this.clock.now() - reservedAt < PENDING_CREATE_GRACE_MS;
  }
}

/** Names are unique regardless of case and Unicode form. */
export function nameKey(name: string): string {
  const folded = name.normalize('NFKC').trim().toLowerCase();
  return createHash('sha256').update(folded).digest('hex').slice(0, 32);
}
