import { json, type Projection } from './projection';

export const memberProjection: Projection = {
  MemberAdded: (sql, { data, at }) => {
    sql.upsertMember.run(
      data.orgId,
      data.userId,
      data.displayName,
      data.orgRole,
      json(data.grants),
      at,
    );
  },
  MemberGrantsChanged: (sql, { data }) => {
    sql.changeMemberGrants.run(data.orgRole, json(data.grants), data.orgId, data.userId);
  },
  MemberRemoved: (sql, { data, at }) => {
    sql.removeMember.run(at, data.orgId, data.userId);
  },
};
