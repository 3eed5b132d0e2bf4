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
