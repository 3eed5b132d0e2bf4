import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  memberLeakDecider,
  serviceAccountLeakDecider,
  STREAM_PREFIXES,
  type DomainEvent,
  type RevokeLeakedKeys,
} from '@keyward/domain';
import type { Position } from '@keyward/event-store';
import { hashApiKey, parseApiKey } from '@keyward/keys';
import { COMMAND_SUBJECTS, type LeakReportReply } from '@keyward/messaging';
import { Call, RequestValidationPipe, type CallContext } from '@keyward/transport';
import type { CommandServiceConfig } from '../../config';
import type { CommandContext } from '../../pipeline/command-context';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import { RevocationPropagation } from '../../revocation/revocation-propagation';
import { contextFor } from '../../shared/command-scope';
import { KeyLocator, type KeyLocation } from '../../store-follower/key-locator';
import { CLOCK, CONFIG, type Clock } from '../../tokens';
import { ReportLeakedKeysRequestDto } from './report-leaked-keys.request';

/** Owner streams revoked at once; the rest wait their turn. */
const CONCURRENT_STREAMS = 64;

/**
 * docs/product-rules.md rule 11: anyone who found Keyward keys reports them (the gateway's
 * public `POST /api/key/v1/leaked`). Each well-formed value is hashed and located among every
 * organization's keys; the active ones are revoked with reason `leaked` on their owner's stream,
 * one append per owner stream, through the one command pipeline, with the actor `leakReport`
 * and the reporter's source in metadata. The reply waits until every live verifier has applied
 * the revocations (G1), exactly as any revocation does.
 *
 * The answer never says which values existed: it is the same counts whatever was found, every
 * refusal that could depend on existence is checked before the lookup, a report that found
 * nothing waits for the verifiers too (at the store's head), and the reply is held back until at
 * least `KEYWARD_LEAK_REPORT_MIN_REPLY_MS` after the request arrived, so the time it took does
 * not tell either (README: "Reporting leaked keys").
 */
@Controller()
export class ReportLeakedKeysHandler {
  constructor(
    private readonly pipeline: CommandPipeline,
    private readonly locator: KeyLocator,
    private readonly propagation: RevocationPropagation,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFIG) private readonly config: CommandServiceConfig,
  ) {}

  @MessagePattern(COMMAND_SUBJECTS.reportLeakedKeys)
  async handle(
    @Payload(new RequestValidationPipe()) request: ReportLeakedKeysRequestDto,
    @Call() call: CallContext,
  ): Promise<LeakReportReply> {
    const arrived = performance.now();
    // Built before any lookup: a bad header is refused whether or not a key exists. No
    // Idempotency-Key: a repeated report finds the keys revoked and records nothing.
    const context = contextFor({ ...call, idempotencyKey: undefined }, LEAK_REPORTER, '');
    const hashes = new Set<string>();
    let malformed = 0;
    for (const value of request.keys) {
      if (parseApiKey(value).ok) hashes.add(hashApiKey(value));
      else malformed += 1;
    }
    await this.revokeReported([...hashes], context);
    const hold = this.config.leakReport.minReplyMs - (performance.now() - arrived);
    if (hold > 0) await sleep(hold);
    return { received: request.keys.length, malformed };
  }

  private async revokeReported(hashes: string[], context: CommandContext): Promise<void> {
    const owners = byOwnerStream(await this.locator.locateAll(hashes));
    let latest: Position | null = null;
    const queue = [...owners.values()];
    const worker = async () => {
      for (let owner = queue.shift(); owner; owner = queue.shift()) {
        const position = await this.revokeOnStream(owner, context);
        if (position !== null && (latest === null || position > latest)) latest = position;
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_STREAMS, queue.length) }, worker));
    // G1 even when nothing was appended: the same wait, at the store's head.
    const position = latest as Position | null;
    await this.propagation.confirmed({
      revokedKeyIds: [],
      position: position === null ? null : position.toString(),
    });
  }

  private async revokeOnStream(owner: Owner, context: CommandContext): Promise<Position | null> {
    const decider = owner.streamName.startsWith(STREAM_PREFIXES.serviceAccount)
      ? serviceAccountLeakDecider
      : memberLeakDecider;
    const result = await this.pipeline.run<RevokeLeakedKeys, DomainEvent, unknown>({
      streamName: owner.streamName,
      decider: decider as never,
      commandType: 'RevokeLeakedKeys',
      context: { ...context, orgId: owner.orgId },
      command: () => ({
        type: 'RevokeLeakedKeys',
        data: { keyIds: owner.keyIds, now: this.clock.now() },
      }),
    });
    return result.events.length === 0 ? null : result.position;
  }
}

/** The audit log's actor for a leak report: anonymous, the metadata's source says from where. */
const LEAK_REPORTER = { kind: 'leakReport' } as const;

interface Owner {
  streamName: string;
  orgId: string;
  keyIds: string[];
}

function byOwnerStream(locations: (KeyLocation | null)[]): Map<string, Owner> {
  const owners = new Map<string, Owner>();
  for (const location of locations) {
    if (location === null) continue;
    const owner = owners.get(location.streamName);
    if (owner) owner.keyIds.push(location.keyId);
    else {
      owners.set(location.streamName, {
        streamName: location.streamName,
        orgId: location.orgId,
        keyIds: [location.keyId],
      });
    }
  }
  return owners;
}
