import { json, type Projection } from './projection';

export const organizationProjection: Projection = {
  OrganizationCreated: (sql, { data, at }) => {
    sql.insertOrganization.run(data.orgId, data.name, at);
  },
  OrganizationPolicySet: (sql, { data }) => {
    sql.setPolicy.run(
      data.maxActiveKeysPerPrincipal,
      data.maxKeyLifetimeSeconds,
      data.allowedServiceAccountRoles === null ? null : json(data.allowedServiceAccountRoles),
      data.expiryNoticeSeconds,
      data.orgId,
    );
  },
  RoleDefined: (sql, { data, at }) => {
    sql.insertRole.run(data.orgId, data.name, json(data.permissions), at);
  },
};
