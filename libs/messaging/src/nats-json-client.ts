import { headers as natsHeaders, JSONCodec, type NatsConnection } from 'nats';
import { HEADERS } from './headers';
import { ReplyErrorException, type Reply } from './reply';

export interface RequestOptions {
  /** The caller's credential, exactly as an HTTP Authorization header value. */
  authorization?: string;
  operatorToken?: string;
  idempotencyKey?: string;
  correlationId?: string;
  /** Where an edge caller came from (the gateway sets these); recorded in the audit log. */
  source?: { ip?: string; userAgent?: string; channel?: 'http' | 'nats' };
  timeoutMs?: number;
}

const codec = JSONCodec();

/** Request-reply over NATS with Keyward's JSON envelope; the one client every caller uses. */
export class NatsJsonClient {
  constructor(
    private readonly connection: NatsConnection,
    private readonly defaultTimeoutMs = 10_000,
  ) {}

  async reply<T>(subject: string, body: unknown, options: RequestOptions = {}): Promise<Reply<T>> {
    const message = await this.connection.request(subject, codec.encode(body), {
      timeout: options.timeoutMs ?? this.defaultTimeoutMs,
      headers: toHeaders(options),
    });
    return codec.decode(message.data) as Reply<T>;
  }

  /**
   * For idempotent reads answered by a queue group (`kw.verify`, `kw.authorize`): NATS picks a
   * member at random, and a member that is stalled (SIGSTOP, a long GC, a saturated core) keeps
   * being picked. So the same request is sent again every `hedgeAfterMs` while none has been
   * answered, at most `maxInFlight` at once, until `timeoutMs`; the first answer wins and the
   * rest are dropped. A stalled node may still record a use when it wakes: usage counts can be
   * slightly high, never a decision.
   */
  async hedgedReply<T>(
    subject: string,
    body: unknown,
    options: RequestOptions & { hedgeAfterMs: number; maxInFlight?: number },
  ): Promise<Reply<T>> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const payload = codec.encode(body);
    const headers = toHeaders(options);
    const maxInFlight = options.maxInFlight ?? 16;
    return new Promise<Reply<T>>((resolve, reject) => {
      let settled = false;
      let inFlight = 0;
      let lastError: unknown = new Error(`no answer on ${subject} within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const send = () => {
        const remaining = deadline - Date.now();
        if (settled || remaining <= 0) return;
        inFlight++;
        this.connection.request(subject, payload, { timeout: remaining, headers }).then(
          (message) => finish(() => resolve(codec.decode(message.data) as Reply<T>)),
          (error: unknown) => {
            lastError = error;
            inFlight--;
            if (inFlight === 0 && Date.now() >= deadline) finish(() => reject(lastError));
          },
        );
        timer = setTimeout(
          () => {
            if (settled) return;
            if (Date.now() >= deadline) {
              if (inFlight === 0) finish(() => reject(lastError));
              return;
            }
            if (inFlight < maxInFlight) send();
            else timer = setTimeout(() => finish(() => reject(lastError)), deadline - Date.now());
          },
          Math.min(options.hedgeAfterMs, Math.max(1, deadline - Date.now())),
        );
      };
      send();
    });
  }

  /** Like `reply`, but throws ReplyErrorException for an error reply. */
  async request<T>(subject: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    const answer = await this.reply<T>(subject, body, options);
    if (!answer.ok) throw new ReplyErrorException(answer.error);
    return answer.data;
  }
}

function toHeaders(options: RequestOptions) {
  const result = natsHeaders();
  const pairs: [string, string | undefined][] = [
    [HEADERS.authorization, options.authorization],
    [HEADERS.operatorToken, options.operatorToken],
    [HEADERS.idempotencyKey, options.idempotencyKey],
    [HEADERS.correlationId, options.correlationId],
    [HEADERS.sourceIp, options.source?.ip],
    [HEADERS.userAgent, options.source?.userAgent],
    [HEADERS.channel, options.source?.channel],
  ];
  for (const [name, value] of pairs) if (value !== undefined) result.set(name, value);
  return result;
}
