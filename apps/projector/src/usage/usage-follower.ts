import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from 'nats';
import { USAGE_STREAM } from '@keyward/messaging';
import { isKeyUsageRollup } from '../projections/usage-projection';
import {
  USAGE_CHECKPOINT,
  type ReadModelWriter,
  type UsageMessage,
} from '../projection/read-model-writer';

const FETCH_BATCH = 1000;
const FETCH_EXPIRES_MS = 1000;
const decoder = new TextDecoder();

/**
 * Projects the durable usage stream (key-usage rollups from the verifiers) from its own
 * checkpoint, one fetch per transaction. An ordered consumer neither skips nor repeats a
 * message, and the checkpoint makes a replayed fetch a no-op.
 */
export class UsageFollower {
  private stopped = false;
  private batch?: ConsumerMessages;
  private running?: Promise<void>;
  private caughtUp = false;
  private readonly caughtUpWaiters: (() => void)[] = [];

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly writer: ReadModelWriter,
    private readonly options: {
      streamName?: string;
      onBatch?: (sequence: number, applied: number) => void;
      onError?: (error: unknown) => void;
    } = {},
  ) {}

  start(): void {
    this.running ??= this.follow();
  }

  /** Resolves once every rollup in the stream when following began is applied. */
  whenCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise((resolve) => this.caughtUpWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.batch?.stop();
    await this.running;
  }

  private async follow(): Promise<void> {
    const streamName = this.options.streamName ?? USAGE_STREAM;
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const target = (await this.jsm.streams.info(streamName)).state.last_seq;
        const from = (this.writer.checkpoint(USAGE_CHECKPOINT) ?? 0) + 1;
        if (from > target) this.reachedHead();
        const consumer = await this.js.consumers.get(streamName, { opt_start_seq: from });
        while (!this.stopped) {
          this.batch = await consumer.fetch({
            max_messages: FETCH_BATCH,
            expires: FETCH_EXPIRES_MS,
          });
          const messages: UsageMessage[] = [];
          for await (const msg of this.batch) messages.push(toUsageMessage(msg));
          if (messages.length > 0) {
            const sequence = this.writer.applyUsage(messages);
            this.options.onBatch?.(sequence, messages.length);
            if (sequence >= target) this.reachedHead();
          }
          attempt = 0;
        }
      } catch (error) {
        if (this.stopped) return;
        this.options.onError?.(error);
        await sleep(Math.min(5_000, 100 * 2 ** attempt));
      }
    }
  }

  private reachedHead(): void {
    if (this.caughtUp) return;
    this.caughtUp = true;
    this.caughtUpWaiters.splice(0).forEach((resolve) => resolve());
  }
}

function toUsageMessage(msg: JsMsg): UsageMessage {
  try {
    const value: unknown = JSON.parse(decoder.decode(msg.data));
    return { sequence: msg.seq, rollup: isKeyUsageRollup(value) ? value : null };
  } catch {
    return { sequence: msg.seq, rollup: null };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
