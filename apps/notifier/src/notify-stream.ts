import {
  DiscardPolicy,
  headers,
  JSONCodec,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
  type JetStreamManager,
  type NatsError,
} from 'nats';
import {
  ALL_NOTIFY_SUBJECTS,
  NOTIFY_POSITION_HEADER,
  notifySubject,
  type Notification,
} from '@keyward/messaging';

const STREAM_NAME_IN_USE = 10058;
const HOUR_NS = 3_600_000_000_000;

/**
 * Creates the notification stream when it is missing: every `kw.notify.>` message, kept
 * `maxAgeHours`, de-duplicated by `Nats-Msg-Id` (the event id) within the default two-minute
 * window. An existing stream is left as its owner configured it.
 */
export async function ensureNotifyStream(
  jsm: JetStreamManager,
  options: { name: string; maxAgeHours: number; replicas: number },
): Promise<void> {
  try {
    await jsm.streams.add({
      name: options.name,
      subjects: [ALL_NOTIFY_SUBJECTS],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: options.maxAgeHours * HOUR_NS,
      num_replicas: options.replicas,
    });
  } catch (error) {
    if ((error as NatsError).api_error?.err_code !== STREAM_NAME_IN_USE) throw error;
  }
}

const json = JSONCodec<Notification>();

/** Publishes one notification and resolves once JetStream has stored it (or had it already). */
export type Publish = (notification: Notification) => Promise<void>;

export function jetStreamPublisher(js: JetStreamClient, timeoutMs = 10_000): Publish {
  return async (notification) => {
    const h = headers();
    h.set(NOTIFY_POSITION_HEADER, notification.position);
    await js.publish(
      notifySubject(notification.orgId, notification.type),
      json.encode(notification),
      {
        msgID: notification.eventId,
        headers: h,
        timeout: timeoutMs,
      },
    );
  };
}
