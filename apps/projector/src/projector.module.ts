import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { RpcErrorFilter } from '@keyward/transport';
import { InfrastructureModule } from './infrastructure.module';
import { ProjectorMetrics } from './metrics/projector-metrics';
import { ProjectorRuntime } from './projection/projector-runtime';
import { AuditReader } from './queries/audit-reader';
import { ExportAuditHandler } from './queries/export-audit/export-audit.handler';
import { GetServiceAccountHandler } from './queries/get-service-account/get-service-account.handler';
import { HealthHandler } from './queries/health/health.handler';
import { ListMembersHandler } from './queries/list-members/list-members.handler';
import { ListPersonalKeysHandler } from './queries/list-personal-keys/list-personal-keys.handler';
import { ListRolesHandler } from './queries/list-roles/list-roles.handler';
import { GetOrganizationPolicyHandler } from './queries/get-organization-policy/get-organization-policy.handler';
import { ListServiceAccountsHandler } from './queries/list-service-accounts/list-service-accounts.handler';
import { QueryAuditHandler } from './queries/query-audit/query-audit.handler';
import { ServiceAccountUsageHandler } from './queries/service-account-usage/service-account-usage.handler';
import { KeyAtHandler } from './queries/key-at/key-at.handler';

@Module({
  imports: [InfrastructureModule],
  controllers: [
    HealthHandler,
    ListServiceAccountsHandler,
    GetServiceAccountHandler,
    ServiceAccountUsageHandler,
    KeyAtHandler,
    ListPersonalKeysHandler,
    ListMembersHandler,
    ListRolesHandler,
    GetOrganizationPolicyHandler,
    QueryAuditHandler,
    ExportAuditHandler,
  ],
  providers: [
    { provide: APP_FILTER, useClass: RpcErrorFilter },
    ProjectorRuntime,
    ProjectorMetrics,
    AuditReader,
  ],
})
export class ProjectorModule {}
