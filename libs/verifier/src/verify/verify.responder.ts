import { performance } from 'node:perf_hooks';
import type { Msg, NatsConnection, Subscription } from 'nats';
import {
  decodeRequestBody,
  ID_PATTERNS,
  PERMISSION_NAMES,
  VERIFIER_QUEUE_GROUP,
  VERIFY_LIMITS,
  VERIFY_SUBJECTS,
  type FieldError,
  type ReplyError,
} from '@keyward/messaging';
import { InFlight } from '@keyward/transport';
import type { VerifierMetrics } from '../metrics/verifier-metrics';
import { invalidJson, isAllowed, verifiedJson, type Outcome } from './verification';

const encoder = new TextEncoder();

/**
 * The node's decision for a credential (`VerifierNode.verify`): synchronous for a key in the
 * index, after the read barrier for one that is not; `unavailable` once the node is stopping;
 * usage recorded.
 */
export type Decide = (value: unknown, bareKey: boolean) => Outcome | Promise<Outcome>;

interface Body {
  authorization?: unknown;
  key?: unknown;
  resource?: unknown;
  permission?: unknown;
}

/**
 * verify and authorize on raw NATS subscriptions in the verifier queue group: the hot path skips
 * Nest's transport (about a quarter of the throughput, docs/architecture.md). Replies use the same
 * `{ok, data}` envelope as every other subject, and a bad body the same codes
 * (`decodeRequestBody`, then the DTO-like rules of `bodyFieldErrors`).
 */
export class VerifyResponder {
  private readonly subscriptions: Subscription[] = [];
  /** Answers waiting for the read barrier (a key not in the index yet). */
  private readonly waiting = new InFlight();

  constructor(
    private readonly connection: NatsConnection,
    private readonly decide: Decide,
    private readonly metrics?: VerifierMetrics,
  ) {}

  start(): void {
    const queue = VERIFIER_QUEUE_GROUP;
    this.subscriptions.push(
      this.connection.subscribe(VERIFY_SUBJECTS.verify, {
        queue,
        callback: (error, msg) => error || this.answer(msg, false),
      }),
      this.connection.subscribe(VERIFY_SUBJECTS.authorize, {
        queue,
        callback: (error, msg) => error || this.answer(msg, true),
      }),
    );
  }

  stop(): void {
    for (const subscription of this.subscriptions) {
      if (!subscription.isClosed()) subscription.unsubscribe();
    }
  }

  /** Requests received and not answered yet (only those waiting for the read barrier). */
  unanswered(): number {
    return this.waiting.size();
  }

  /**
   * Leaves the queue group: NATS routes new requests to the other nodes, every request already
   * delivered here is answered (the node still decides normally meanwhile), and this resolves
   * once the last answer is sent.
   */
  async drain(): Promise<void> {
    await Promise.all(
      this.subscriptions
        .filter((subscription) => !subscription.isClosed())
        .map((subscription) => subscription.drain()),
    );
    await this.waiting.idle();
  }

  private answer(msg: Msg, authorize: boolean): void {
    const arrived = performance.now();
    const decoded = decodeRequestBody(msg.data);
    if (!decoded.ok) {
      msg.respond(errorReply(decoded.error));
      this.count(authorize, 'bad_request', arrived);
      return;
    }
    const body: Body = decoded.body;
    const fieldErrors = bodyFieldErrors(body, authorize);
    if (fieldErrors !== undefined) {
      msg.respond(validationFailed(fieldErrors));
      this.count(authorize, 'bad_request', arrived);
      return;
    }
    const outcome =
      typeof body.authorization === 'string'
        ? this.decide(body.authorization, false)
        : this.decide(body.key, true);
    if (outcome instanceof Promise) {
      this.waiting.begin();
      void outcome
        .then((later) => this.count(authorize, respond(msg, later, authorize, body), arrived))
        .finally(() => this.waiting.end());
    } else {
      this.count(authorize, respond(msg, outcome, authorize, body), arrived);
    }
  }

  private count(authorize: boolean, outcome: string, arrived: number): void {
    this.metrics?.answered(
      authorize ? 'authorize' : 'verify',
      outcome,
      (performance.now() - arrived) / 1000,
    );
  }
}

/**
 * Answers, and returns the outcome's label: `valid`, `forbidden` or the refusal reason. Every
 * answer carries `position`, the store position the decision was made at (SPEC rule 13).
 */
function respond(msg: Msg, outcome: Outcome, authorize: boolean, body: Body): string {
  if (!outcome.valid) {
    msg.respond(reply(invalidJson(outcome.reason, outcome.position, authorize)));
    return outcome.reason;
  }
  if (!authorize) {
    msg.respond(reply(verifiedJson(outcome.key, outcome.position)));
    return 'valid';
  }
  const allowed = isAllowed(outcome.key, body.resource, body.permission);
  msg.respond(reply(verifiedJson(outcome.key, outcome.position, allowed)));
  return allowed ? 'valid' : 'forbidden';
}

function reply(dataJson: string): Uint8Array {
  return encoder.encode(`{"ok":true,"data":${dataJson}}`);
}

/**
 * The same rules as every other subject's DTOs: exactly one of `authorization` / `key`, a
 * string of bounded length; no field beyond those (and, for authorize, `resource` and
 * `permission`). Undefined when the body is fine: the valid path allocates nothing.
 */
function bodyFieldErrors(body: Body, authorize: boolean): FieldError[] | undefined {
  let errors: FieldError[] | undefined;
  let credentials = 0;
  for (const field in body) {
    if (field === 'authorization' || field === 'key') {
      credentials++;
    } else if (!(authorize && (field === 'resource' || field === 'permission'))) {
      (errors ??= []).push({ field, message: `property ${field} should not exist` });
    }
  }
  const credentialError =
    credentials === 1
      ? credentialValueError(body)
      : credentials === 0
        ? CREDENTIAL_MISSING
        : CREDENTIAL_TWICE;
  if (credentialError !== undefined) (errors ??= []).unshift(credentialError);
  if (authorize) errors = authorizeFieldErrors(body, errors);
  return errors;
}

const CREDENTIAL_MISSING: FieldError = Object.freeze({
  field: 'authorization',
  message: 'one of authorization or key is required',
});
const CREDENTIAL_TWICE: FieldError = Object.freeze({
  field: 'key',
  message: 'send only one of authorization or key',
});
const CREDENTIAL_ERRORS = {
  authorization: credentialValueErrors('authorization'),
  key: credentialValueErrors('key'),
};

function credentialValueErrors(field: 'authorization' | 'key') {
  return {
    notString: Object.freeze({ field, message: `${field} must be a string` }) as FieldError,
    tooLong: Object.freeze({
      field,
      message: `${field} must be shorter than or equal to ${VERIFY_LIMITS.maxCredentialLength} characters`,
    }) as FieldError,
  };
}

function credentialValueError(body: Body): FieldError | undefined {
  const field = body.authorization !== undefined ? 'authorization' : 'key';
  const value = body[field];
  if (typeof value !== 'string') return CREDENTIAL_ERRORS[field].notString;
  if (value.length > VERIFY_LIMITS.maxCredentialLength) return CREDENTIAL_ERRORS[field].tooLong;
  return undefined;
}

/** authorize needs a resource id and a known permission; anything else is a bad request. */
function authorizeFieldErrors(
  body: Body,
  errors: FieldError[] | undefined,
): FieldError[] | undefined {
  if (typeof body.resource !== 'string' || !ID_PATTERNS.resource.test(body.resource)) {
    (errors ??= []).push({
      field: 'resource',
      message: 'resource must be * or an id like db:analytics',
    });
  }
  if (!(PERMISSION_NAMES as readonly unknown[]).includes(body.permission)) {
    (errors ??= []).push({
      field: 'permission',
      message: `permission must be one of ${PERMISSION_NAMES.join(', ')}`,
    });
  }
  return errors;
}

function validationFailed(fields: FieldError[]): Uint8Array {
  const message = `invalid request: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
  return encodeError({ code: 'VALIDATION.FAILED', kind: 'invalid', message, fields });
}

/** The edge's constant refusals (empty, not JSON, too large, too deep…), encoded once each. */
const ENCODED_REFUSALS = new WeakMap<ReplyError, Uint8Array>();

function errorReply(error: ReplyError): Uint8Array {
  if (!Object.isFrozen(error)) return encodeError(error);
  let encoded = ENCODED_REFUSALS.get(error);
  if (encoded === undefined) {
    encoded = encodeError(error);
    ENCODED_REFUSALS.set(error, encoded);
  }
  return encoded;
}

function encodeError(error: ReplyError): Uint8Array {
  return encoder.encode(JSON.stringify({ ok: false, error }));
}
