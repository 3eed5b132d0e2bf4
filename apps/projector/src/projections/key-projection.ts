import { actorId } from './applied-event';
import type { Projection } from './projection';

/** Key metadata only: the event's keyHash is never read into a table. */
export const keyProjection: Projection = {
  KeyIssued: (sql, { data, at, actor }) => {
    sql.insertKey.run(
      data.keyId,
      data.orgId,
      data.owner.kind,
      data.owner.id,
      data.name,
      data.description,
      data.hint,
      at,
      actor.kind,
      actorId(actor),
      data.expiresAt,
    );
  },
  KeyRevoked: (sql, { data, at, actor }) => {
    sql.revokeKey.run(at, actor.kind, actorId(actor), data.reason, data.keyId, data.orgId);
  },
  // The successor's KeyIssued came first in the same append, so both rows exist.
  KeyRotated: (sql, { data }) => {
    sql.rotateKey.run(data.expiresAt, data.successorKeyId, data.keyId, data.orgId);
    sql.linkSuccessor.run(data.keyId, data.successorKeyId, data.orgId);
  },
};
