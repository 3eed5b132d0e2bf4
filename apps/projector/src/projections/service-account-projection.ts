import { actorId } from './applied-event';
import { json, optionalStr, str, type Projection } from './projection';

export const serviceAccountProjection: Projection = {
  ServiceAccountCreated: (sql, { data, at, actor }) => {
    const createdBy = (data.createdBy as { kind?: string; id?: string } | undefined) ?? actor;
    sql.insertServiceAccount.run(
      str(data.accountId),
      str(data.orgId),
      str(data.name),
      str(data.name).toLowerCase(),
      str(data.description),
      str(data.role),
      json(data.permissions),
      json(data.resources),
      data.enableBasicAuth === true ? 1 : 0,
      at,
      str(createdBy.kind),
      'id' in createdBy ? (createdBy.id ?? null) : actorId(actor),
      at,
    );
  },
  ServiceAccountUpdated: (sql, { data, at }) => {
    const name = optionalStr(data.name);
    sql.updateServiceAccount.run(
      name,
      name,
      optionalStr(data.description),
      at,
      str(data.accountId),
      str(data.orgId),
    );
  },
  ServiceAccountDeleted: (sql, { data, at }) => {
    sql.deleteServiceAccount.run(at, at, str(data.accountId), str(data.orgId));
  },
};
