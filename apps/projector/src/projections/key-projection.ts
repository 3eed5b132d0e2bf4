import { actorId } from './applied-event';
import { numOrNull, str, type Projection } from './projection';

interface Owner {
  kind: string;
  id: string;
}

/** Key metadata only: the event's keyHash is never read into a table. */
export const keyProjection: Projection = {
  KeyIssued: (sql, { data, at, actor }) => {
    const owner = data.owner as Owner;
    sql.insertKey.run(
      str(data.keyId),
      str(data.orgId),
      str(owner?.kind),
      str(owner?.id),
      str(data.name),
      str(data.description),
      str(data.hint),
      at,
      actor.kind,
      actorId(actor),
      numOrNull(data.expiresAt),
    );
  },
  KeyRevoked: (sql, { data, at, actor }) => {
    sql.revokeKey.run(
      at,
      actor.kind,
      actorId(actor),
      str(data.reason),
      str(data.keyId),
      str(data.orgId),
    );
  },
};
