import {
  DiscardPolicy,
  nanos,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type NatsError,
  type StreamConfig,
} from 'nats';

const STREAM_NAME_IN_USE = 10058;
const STREAM_NOT_FOUND = 10059;
const STREAM_POLL_MS = 250;

export interface EventStreamSettings {
  streamName: string;
  subjects: string[];
  duplicateWindowMs: number;
  /** Copies in a NATS cluster; a single server takes only 1. */
  replicas: number;
}

/*
 * An event log keeps everything forever and never changes a message: no limits, and deleting or
 * purging messages is denied. Direct get serves reads without a consumer.
 */
function eventStreamConfig(settings: EventStreamSettings): Partial<StreamConfig> {
  return {
    subjects: settings.subjects,
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    max_msgs_per_subject: -1,
    max_msg_size: -1,
    duplicate_window: nanos(settings.duplicateWindowMs),
    num_replicas: settings.replicas,
    allow_direct: true,
    deny_delete: true,
    deny_purge: true,
  };
}

/** Creates the JetStream stream, or brings an existing one to this configuration. */
export async function ensureEventStream(
  jsm: JetStreamManager,
  settings: EventStreamSettings,
): Promise<void> {
  const config = eventStreamConfig(settings);
  try {
    // Adding a stream that exists with the same configuration succeeds, so this is idempotent.
    await jsm.streams.add({ ...config, name: settings.streamName });
  } catch (error) {
    if ((error as NatsError).api_error?.err_code !== STREAM_NAME_IN_USE) throw error;
    await jsm.streams.update(settings.streamName, config);
  }
}

/** Resolves once the stream exists; a reader's NATS user may look at it but not create it. */
export async function awaitEventStream(
  jsm: JetStreamManager,
  streamName: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await jsm.streams.info(streamName);
      return;
    } catch (error) {
      if ((error as NatsError).api_error?.err_code !== STREAM_NOT_FOUND) throw error;
      if (Date.now() > deadline) {
        throw new Error(
          `the event stream ${streamName} does not exist after ${timeoutMs} ms; the command service creates it`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, STREAM_POLL_MS));
    }
  }
}
