import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  serviceAccountDecider,
  serviceAccountNameDecider,
  serviceAccountNameStream,
  serviceAccountStream,
  type NameHolderStatus,
  type ServiceAccountNameState,
} from '@keyward/domain';
import type { CommandContext } from '../pipeline/command-context';
import { CommandPipeline } from '../pipeline/command-pipeline';
import { CLOCK, type Clock } from '../tokens';

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
      command: async (state) => ({
        type: 'ReserveServiceAccountName' as const,
        data: {
          orgId,
          name,
          accountId,
          holder: await this.holderOf(state, name),
          now: this.clock.now(),
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

  /** What the current holder's own stream says; the name decider decides what that means. */
  private async holderOf(state: ServiceAccountNameState, name: string): Promise<NameHolderStatus> {
    if (state.type === 'Free') return 'moved-on';
    const stream = serviceAccountStream(state.data.accountId);
    const { state: holder } = await this.pipeline.load(stream, serviceAccountDecider);
    if (holder.type === 'Missing') return 'not-created';
    return holder.type === 'Active' && nameKey(holder.data.name) === nameKey(name)
      ? 'holds-name'
      : 'moved-on';
  }
}

/** Names are unique regardless of case and Unicode form. */
export function nameKey(name: string): string {
  const folded = name.normalize('NFKC').trim().toLowerCase();
  return createHash('sha256').update(folded).digest('hex').slice(0, 32);
}
