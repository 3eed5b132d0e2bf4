import { JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { ALL_NOTIFY_SUBJECTS, NOTIFY_POSITION_HEADER, type Notification } from '@keyward/messaging';

/** One notification as a plain NATS subscriber heard it. */
export interface HeardNotification {
  /** Epoch ms at which it arrived. */
  at: number;
  subject: string;
  /** `Nats-Msg-Id`: the event id, JetStream's de-duplication key. */
  msgId: string | undefined;
  positionHeader: string | undefined;
  body: Notification;
  /** The payload as published. */
  raw: string;
}

const json = JSONCodec<Notification>();

/**
 * Hears every organization's notifications (`kw.notify.>`) as the operator would, in arrival
 * order, into `heard` (the same array from construction on, so a spec may hold it).
 */
export class NotifySubscriber {
  readonly heard: HeardNotification[] = [];
  private subscription: Subscription | undefined;

  /** Subscribes; resolves once the server has the subscription. */
  async start(connection: NatsConnection): Promise<void> {
    const subscription = connection.subscribe(ALL_NOTIFY_SUBJECTS);
    this.subscription = subscription;
    void (async () => {
      for await (const message of subscription) {
        this.heard.push({
          at: Date.now(),
          subject: message.subject,
          msgId: message.headers?.get('Nats-Msg-Id'),
          positionHeader: message.headers?.get(NOTIFY_POSITION_HEADER),
          body: json.decode(message.data),
          raw: message.string(),
        });
      }
    })();
    await connection.flush();
  }

  stop(): void {
    this.subscription?.unsubscribe();
  }
}
