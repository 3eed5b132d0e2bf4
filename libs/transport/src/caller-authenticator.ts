import type { NatsConnection } from 'nats';
import {
  NatsJsonClient,
  VERIFY_LIMITS,
  VERIFY_SUBJECTS,
  type VerifiedKey,
  type VerifyReply,
} from '@keyward/messaging';
import { AppError } from './app-error';
import { notePrincipal, type CallContext } from './call-context';

export type Caller = Pick<
  VerifiedKey,
  'principal' | 'orgId' | 'orgAdmin' | 'role' | 'permissions' | 'keyId'
>;

export interface CallerAuthenticatorOptions {
  /** How long to wait for `kw.verify` in all. */
  verifyTimeoutMs: number;
  /** Ask `kw.verify` again after this long without an answer. */
  verifyHedgeMs: number;
}

/**
 * Who is asking: the Authorization header checked by the verifier over `kw.verify`, never by
 * a read model (which lags the store). A caller reads only its own organization. Shared by the
 * services that answer queries (the projector, the notifier's webhook queries).
 */
export class CallerAuthenticator {
  private readonly client: NatsJsonClient;
  private readonly hedgeAfterMs: number;

  constructor(connection: NatsConnection, options: CallerAuthenticatorOptions) {
    this.client = new NatsJsonClient(connection, options.verifyTimeoutMs);
    this.hedgeAfterMs = options.verifyHedgeMs;
  }

  async authenticate(call: CallContext, requestedOrgId?: string): Promise<Caller> {
    if (!call.authorization?.trim()) {
      throw new AppError(
        'AUTH.MISSING_CREDENTIAL',
        'unauthenticated',
        'an Authorization header is required',
      );
    }
    const verified = await this.verify(call.authorization);
    notePrincipal(call, verified.principal.id);
    if (requestedOrgId !== undefined && requestedOrgId !== verified.orgId) {
      throw new AppError(
        'AUTH.ORG_MISMATCH',
        'forbidden',
        `orgId ${requestedOrgId} is not the caller's organization`,
      );
    }
    return verified;
  }

  private async verify(authorization: string): Promise<VerifiedKey> {
    // kw.verify refuses a longer one as a bad request; to the caller it is just not a key.
    if (authorization.length > VERIFY_LIMITS.maxCredentialLength) throw invalidCredential();
    let reply;
    try {
      // Hedged: a stalled verifier in the queue group must not fail half of the queries.
      reply = await this.client.hedgedReply<VerifyReply>(
        VERIFY_SUBJECTS.verify,
        { authorization },
        { hedgeAfterMs: this.hedgeAfterMs },
      );
    } catch (error) {
      throw unavailable(
        `the verifier did not answer: ${String((error as Error).message ?? error)}`,
      );
    }
    if (!reply.ok) throw unavailable(`the verifier failed: ${reply.error.code}`);
    if (reply.data.valid) return reply.data;
    if (reply.data.reason === 'unavailable') throw unavailable('the verifier is not caught up');
    // One answer for every reason: the caller learns nothing about which.
    throw invalidCredential();
  }
}

function invalidCredential(): AppError {
  return new AppError('AUTH.INVALID_CREDENTIAL', 'unauthenticated', 'the credential is not valid');
}

export function requireOrgAdmin(caller: Caller, what: string): void {
  if (caller.orgAdmin) return;
  throw new AppError('AUTH.FORBIDDEN', 'forbidden', `only organization admins may ${what}`);
}

/**
 * Service accounts are visible to those who may manage them: members (docs/product-rules.md rule 2) and service
 * accounts whose role includes admin.
 */
export function requireServiceAccountReader(caller: Caller): void {
  if (caller.principal.kind === 'member' || caller.permissions.includes('admin')) return;
  throw new AppError(
    'AUTH.FORBIDDEN',
    'forbidden',
    'only members and service accounts with the admin permission may read service accounts',
  );
}

function unavailable(message: string): AppError {
  return new AppError('SERVICE.UNAVAILABLE', 'unavailable', `${message}; retry`);
}
