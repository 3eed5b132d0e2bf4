import { json, str, type Projection } from './projection';

export const memberProjection: Projection = {
  MemberAdded: (sql, { data, at }) => {
    sql.upsertMember.run(
      str(data.orgId),
      str(data.userId),
      str(data.displayName),
      str(data.orgRole),
      json(data.grants),
      at,
    );
  },
  MemberGrantsChanged: (sql, { data }) => {
    sql.changeMemberGrants.run(
      str(data.orgRole),
      json(data.grants),
      str(data.orgId),
      str(data.userId),
    );
  },
  MemberRemoved: (sql, { data, at }) => {
    sql.removeMember.run(at, str(data.orgId), str(data.userId));
  },
};
