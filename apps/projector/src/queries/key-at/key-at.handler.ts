import { Controller, Inject } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  decodeEvent,
  keyAt,
  memberStream,
  serviceAccountStream,
  type HistoryEvent,
  type KeyAt,
} from '@keyward/domain';
import type { EventStore } from '@keyward/event-store';
import { QUERY_SUBJECTS, type DecidingEventView, type KeyAtView } from '@keyward/messaging';
import {
  AppError,
  Call,
  RequestValidationPipe,
  type CallContext,
  CallerAuthenticator,
  requireOrgAdmin,
} from '@keyward/transport';
import { EVENT_STORE, READ_MODEL_DB } from '../../tokens';
import type { Db } from '../../store/read-model-db';
import { prepared } from '../../store/prepared';
import { principal, principalNow, secondsOrNull } from '../views';
import { KeyAtRequestDto } from './key-at.request';

interface OwnerRow {
  owner_kind: 'member' | 'serviceAccount';
  owner_id: string;
  owner_name: string | null;
  owner_status: string | null;
}

/**
 * docs/product-rules.md rule 12, for forensics (org admins): whether a key was valid at an
 * instant, for which principal, role, permissions and resources, and which stored event decided
 * it. The read model only says which stream holds the key; the answer is folded from the events
 * of that stream as the store returns them (libs/domain keyAt), not from any read model.
 */
@Controller()
export class KeyAtHandler {
  constructor(
    private readonly callers: CallerAuthenticator,
    @Inject(READ_MODEL_DB) private readonly db: Db,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @MessagePattern(QUERY_SUBJECTS.keyAt)
  async handle(
    @Payload(new RequestValidationPipe()) request: KeyAtRequestDto,
    @Call() call: CallContext,
  ): Promise<KeyAtView> {
    const caller = await this.callers.authenticate(call, request.orgId);
    requireOrgAdmin(caller, 'ask whether a key was valid at a past time');
    if (request.time * 1000 > Date.now()) {
      // Forensics answers for the past: a later revocation could still change a future answer.
      const message = 'time must not be in the future';
      throw new AppError(
        'VALIDATION.FAILED',
        'invalid',
        `invalid request: time: ${message}`,
        undefined,
        [{ field: 'time', message }],
      );
    }
    const owner = prepared(
      this.db,
      `SELECT k.owner_kind, k.owner_id,
         ${principalNow('k.owner_kind', 'k.owner_id', 'k.org_id', 'name')} AS owner_name,
         ${principalNow('k.owner_kind', 'k.owner_id', 'k.org_id', 'status')} AS owner_status
       FROM keys k WHERE k.org_id = ? AND k.key_id = ?`,
    ).get(caller.orgId, request.keyId) as OwnerRow | undefined;
    if (!owner) throw notFound(request.keyId);
    const stream =
      owner.owner_kind === 'member'
        ? memberStream(caller.orgId, owner.owner_id)
        : serviceAccountStream(owner.owner_id);
    const history = (await this.store.readStream(stream)).flatMap((recorded): HistoryEvent[] => {
      const decoded = decodeEvent(recorded);
      if (!decoded.known) return [];
      const occurredAt = Date.parse(decoded.metadata.occurredAt ?? '');
      return [
        {
          event: decoded.event,
          occurredAt: Number.isFinite(occurredAt) ? occurredAt : 0,
          eventId: decoded.metadata.eventId ?? recorded.id,
          position: recorded.position,
        },
      ];
    });
    const answer = keyAt(history, request.keyId, request.time * 1000);
    if (!answer) throw notFound(request.keyId);
    return view(request, caller.orgId, owner, answer);
  }
}

function notFound(keyId: string): AppError {
  return new AppError('KEY.NOT_FOUND', 'not_found', `no key ${keyId} in this organization`);
}

function view(request: KeyAtRequestDto, orgId: string, owner: OwnerRow, at: KeyAt): KeyAtView {
  return {
    keyId: request.keyId,
    orgId,
    time: request.time,
    valid: at.valid,
    reason: at.reason,
    revocationReason: at.revocationReason,
    principal: principal(owner.owner_kind, owner.owner_id, owner.owner_name, owner.owner_status),
    role: at.role,
    permissions: at.permissions,
    resources: at.resources,
    grants: at.grants,
    expiresAt: secondsOrNull(at.expiresAt),
    successorKeyId: at.successorKeyId,
    decidedBy: at.decidedBy ? deciding(at.decidedBy) : null,
  };
}

function deciding(h: HistoryEvent): DecidingEventView {
  return {
    eventId: h.eventId,
    eventType: h.event.type,
    position: String(h.position),
    time: Math.floor(h.occurredAt / 1000),
    occurredAt: new Date(h.occurredAt).toISOString(),
  };
}
