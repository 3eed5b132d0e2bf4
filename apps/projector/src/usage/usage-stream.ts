import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type NatsError,
} from 'nats';
import { USAGE_STREAM, USAGE_SUBJECT_PREFIX } from '@keyward/messaging';

const STREAM_NAME_IN_USE = 10058;

/**
 * Creates the usage stream when it is missing. Rollups are kept as long as the events: a
 * rebuild replays them to restore last-used times. An existing stream is left as its owner
 * (the verifiers, or an operator) configured it.
 */
export async function ensureUsageStream(
  jsm: JetStreamManager,
  streamName = USAGE_STREAM,
): Promise<void> {
  try {
    await jsm.streams.add({
      name: streamName,
      subjects: [`${USAGE_SUBJECT_PREFIX}.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_msgs: -1,
      max_bytes: -1,
      max_age: 0,
      num_replicas: 1,
    });
  } catch (error) {
    if ((error as NatsError).api_error?.err_code !== STREAM_NAME_IN_USE) throw error;
  }
}
