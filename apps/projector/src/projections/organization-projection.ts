import { json, numOrNull, str, type Projection } from './projection';

export const organizationProjection: Projection = {
  OrganizationCreated: (sql, { data, at }) => {
    sql.insertOrganization.run(str(data.orgId), str(data.name), at);
  },
  OrganizationPolicySet: (sql, { data }) => {
    sql.setPolicy.run(
      numOrNull(data.maxActiveKeysPerPrincipal),
      numOrNull(data.maxKeyLifetimeSeconds),
      data.allowedServiceAccountRoles == null ? null : json(data.allowedServiceAccountRoles),
      str(data.orgId),
    );
  },
  RoleDefined: (sql, { data, at }) => {
    sql.insertRole.run(str(data.orgId), str(data.name), json(data.permissions), at);
  },
};
