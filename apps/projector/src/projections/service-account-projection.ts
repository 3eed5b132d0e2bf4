import { json, type Projection } from './projection';

export const serviceAccountProjection: Projection = {
  ServiceAccountCreated: (sql, { data, at }) => {
    sql.insertServiceAccount.run(
      data.accountId,
      data.orgId,
      data.name,
      data.name.toLowerCase(),
      data.description,
      data.role,
      json(data.permissions),
      json(data.resources),
      data.enableBasicAuth ? 1 : 0,
      at,
      data.createdBy.kind,
      data.createdBy.id,
      at,
    );
  },
  ServiceAccountUpdated: (sql, { data, at }) => {
    // Lower-cased here, as on creation: SQLite's lower() folds ASCII letters only.
    const name = data.name ?? null;
    sql.updateServiceAccount.run(
      name,
      name === null ? null : name.toLowerCase(),
      data.description ?? null,
      at,
      data.accountId,
      data.orgId,
    );
  },
  ServiceAccountDeleted: (sql, { data, at }) => {
    sql.deleteServiceAccount.run(at, at, data.accountId, data.orgId);
  },
};
