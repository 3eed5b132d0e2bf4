import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Authenticator } from './auth/authenticator';
import { KeyLocator } from './store-follower/key-locator';
import { StoreFollower } from './store-follower/store-follower';
import { HealthHandler } from './health/health.handler';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { KeyOperations } from './keys/key-operations';
import { RevokeKeyByValueHandler } from './keys/revoke-key-by-value/revoke-key-by-value.handler';
import { ReportLeakedKeysHandler } from './keys/report-leaked-keys/report-leaked-keys.handler';
import { AddMemberHandler } from './members/add-member/add-member.handler';
import { ChangeMemberGrantsHandler } from './members/change-member-grants/change-member-grants.handler';
import { IssuePersonalKeyHandler } from './members/issue-personal-key/issue-personal-key.handler';
import { RemoveMemberHandler } from './members/remove-member/remove-member.handler';
import { RevokeAllPersonalKeysHandler } from './members/revoke-all-personal-keys/revoke-all-personal-keys.handler';
import { RevokePersonalKeyHandler } from './members/revoke-personal-key/revoke-personal-key.handler';
import { RotatePersonalKeyHandler } from './members/rotate-personal-key/rotate-personal-key.handler';
import { BootstrapOrganizationHandler } from './organizations/bootstrap-organization/bootstrap-organization.handler';
import { OperatorToken } from './shared/operator-token';
import { DefineRoleHandler } from './organizations/define-role/define-role.handler';
import { SetOrganizationPolicyHandler } from './organizations/set-organization-policy/set-organization-policy.handler';
import { CommandMetrics } from './metrics/command-metrics';
import { CommandPipeline } from './pipeline/command-pipeline';
import { CreateServiceAccountHandler } from './service-accounts/create-service-account/create-service-account.handler';
import { DeleteServiceAccountHandler } from './service-accounts/delete-service-account/delete-service-account.handler';
import { IssueServiceAccountKeyHandler } from './service-accounts/issue-service-account-key/issue-service-account-key.handler';
import { RevokeAllServiceAccountKeysHandler } from './service-accounts/revoke-all-service-account-keys/revoke-all-service-account-keys.handler';
import { RevokeServiceAccountKeyHandler } from './service-accounts/revoke-service-account-key/revoke-service-account-key.handler';
import { RotateServiceAccountKeyHandler } from './service-accounts/rotate-service-account-key/rotate-service-account-key.handler';
import { ServiceAccountKeys } from './service-accounts/service-account-key-access';
import { ServiceAccountNames } from './service-accounts/service-account-names';
import { UpdateServiceAccountHandler } from './service-accounts/update-service-account/update-service-account.handler';
import { CommandScope } from './shared/command-scope';
import { KeyMinter } from './shared/key-minter';
import { OrganizationReader } from './shared/organization-reader';
import { RpcErrorFilter } from '@keyward/transport';
import { RevocationPropagation } from './revocation/revocation-propagation';
import { DeleteWebhookEndpointHandler } from './webhooks/delete-webhook-endpoint/delete-webhook-endpoint.handler';
import { DisableFailingWebhookEndpointHandler } from './webhooks/disable-failing-webhook-endpoint/disable-failing-webhook-endpoint.handler';
import { DisableWebhookEndpointHandler } from './webhooks/disable-webhook-endpoint/disable-webhook-endpoint.handler';
import { EnableWebhookEndpointHandler } from './webhooks/enable-webhook-endpoint/enable-webhook-endpoint.handler';
import { RegisterWebhookEndpointHandler } from './webhooks/register-webhook-endpoint/register-webhook-endpoint.handler';
import { UpdateWebhookEndpointHandler } from './webhooks/update-webhook-endpoint/update-webhook-endpoint.handler';
import { WebhookEndpointCommands } from './webhooks/webhook-endpoint-commands';
import { WebhookSecrets } from './webhooks/webhook-secrets';
import { WebhookUrlPolicy } from './webhooks/webhook-url-policy';
import { VerifierRoster } from './revocation/verifier-roster';

@Module({
  imports: [InfrastructureModule],
  controllers: [
    HealthHandler,
    BootstrapOrganizationHandler,
    DefineRoleHandler,
    SetOrganizationPolicyHandler,
    AddMemberHandler,
    ChangeMemberGrantsHandler,
    RemoveMemberHandler,
    IssuePersonalKeyHandler,
    RevokePersonalKeyHandler,
    RevokeAllPersonalKeysHandler,
    RotatePersonalKeyHandler,
    CreateServiceAccountHandler,
    UpdateServiceAccountHandler,
    DeleteServiceAccountHandler,
    IssueServiceAccountKeyHandler,
    RotateServiceAccountKeyHandler,
    RevokeServiceAccountKeyHandler,
    RevokeAllServiceAccountKeysHandler,
    RevokeKeyByValueHandler,
    ReportLeakedKeysHandler,
    RegisterWebhookEndpointHandler,
    UpdateWebhookEndpointHandler,
    DisableWebhookEndpointHandler,
    EnableWebhookEndpointHandler,
    DeleteWebhookEndpointHandler,
    DisableFailingWebhookEndpointHandler,
  ],
  providers: [
    { provide: APP_FILTER, useClass: RpcErrorFilter },
    CommandPipeline,
    CommandMetrics,
    StoreFollower,
    KeyLocator,
    Authenticator,
    CommandScope,
    OrganizationReader,
    KeyMinter,
    KeyOperations,
    ServiceAccountNames,
    ServiceAccountKeys,
    OperatorToken,
    VerifierRoster,
    RevocationPropagation,
    WebhookEndpointCommands,
    WebhookSecrets,
    WebhookUrlPolicy,
  ],
})
export class CommandModule {}
