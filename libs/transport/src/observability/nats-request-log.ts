import { performance } from 'node:perf_hooks';
import type { Msg, MsgHdrs } from 'nats';
import { Histogram, type Registry } from 'prom-client';
import { HEADERS } from '@keyward/messaging';
import type { ServiceLogger } from './service-logger';

/** What is known about one NATS request while it is handled; logged once, when answered. */
export interface RequestRecord {
  readonly subject: string;
  readonly started: number;
  readonly correlationId: string | undefined;
  /** The authenticated caller (member or service account id), once known. */
  principalId?: string;
  /** An unexpected failure (answered `INTERNAL`), logged with its stack. */
  failure?: unknown;
}

/** An answer as Nest's server publishes it: the handler's result or the reply error. */
export interface AnswerPacket {
  err?: unknown;
}

/** The outcome label of an answer: `ok`, or the reply error's stable code. */
export function outcomeOf(packet: AnswerPacket): string {
  const { err } = packet;
  if (err === undefined || err === null) return 'ok';
  if (typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return 'INTERNAL';
}

// Keyed by the message's headers object: the one thing Nest hands both the server (here) and a
// handler's parameter decorators (`NatsContext.getHeaders()`).
const records = new WeakMap<MsgHdrs, RequestRecord>();

/** The record of the request whose headers these are (none for a request without headers). */
export function requestRecordOf(headers: MsgHdrs | undefined): RequestRecord | undefined {
  return headers === undefined ? undefined : records.get(headers);
}

/**
 * One JSON log line and one histogram observation per NATS request: subject, correlation id,
 * principal, outcome code and duration — never a header value or a body. Refusals are `info`
 * (the caller's mistake, not the service's); `INTERNAL` is `error`, with the stack.
 */
export class NatsRequestLog {
  private readonly duration: Histogram<'subject' | 'outcome'>;

  constructor(
    private readonly logger: ServiceLogger,
    registry: Registry,
  ) {
    this.duration = new Histogram({
      name: 'keyward_request_duration_seconds',
      help: 'NATS requests answered, by subject and outcome (ok or the error code), from arrival to the reply',
      labelNames: ['subject', 'outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  begin(msg: Msg): RequestRecord {
    const record: RequestRecord = {
      subject: msg.subject,
      started: performance.now(),
      correlationId: msg.headers?.get(HEADERS.correlationId) || undefined,
    };
    if (msg.headers) records.set(msg.headers, record);
    return record;
  }

  end(record: RequestRecord, packet: AnswerPacket): void {
    const outcome = outcomeOf(packet);
    const seconds = (performance.now() - record.started) / 1000;
    this.duration.observe({ subject: record.subject, outcome }, seconds);
    const line = {
      subject: record.subject,
      correlationId: record.correlationId,
      principalId: record.principalId,
      outcome,
      durationMs: Math.round(seconds * 1_000_000) / 1000,
    };
    if (outcome === 'INTERNAL') {
      this.logger.error({ ...line, err: record.failure }, 'request failed');
    } else {
      this.logger.info(line, 'request');
    }
  }
}
