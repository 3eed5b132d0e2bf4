/**
 * Every NATS subject Keyward serves. Only this lib knows subject names; services and clients
 * import them from here.
 */
export const COMMAND_SUBJECTS = {
  bootstrapOrganization: 'kw.cmd.organization.bootstrap',
  defineRole: 'kw.cmd.organization.define-role',
  setOrganizationPolicy: 'kw.cmd.organization.set-policy',
  addMember: 'kw.cmd.member.add',
  changeMemberGrants: 'kw.cmd.member.change-grants',
  removeMember: 'kw.cmd.member.remove',
  createServiceAccount: 'kw.cmd.service-account.create',
  updateServiceAccount: 'kw.cmd.service-account.update',
  deleteServiceAccount: 'kw.cmd.service-account.delete',
  issueServiceAccountKey: 'kw.cmd.service-account.issue-key',
  revokeServiceAccountKey: 'kw.cmd.service-account.revoke-key',
  revokeAllServiceAccountKeys: 'kw.cmd.service-account.revoke-all-keys',
  rotateServiceAccountKey: 'kw.cmd.service-account.rotate-key',
  issuePersonalKey: 'kw.cmd.member.issue-key',
  revokePersonalKey: 'kw.cmd.member.revoke-key',
  revokeAllPersonalKeys: 'kw.cmd.member.revoke-all-keys',
  rotatePersonalKey: 'kw.cmd.member.rotate-key',
  revokeKeyByValue: 'kw.cmd.key.revoke-by-value',
  reportLeakedKeys: 'kw.cmd.key.report-leaked',
  registerWebhookEndpoint: 'kw.cmd.webhook.register',
  updateWebhookEndpoint: 'kw.cmd.webhook.update',
  disableWebhookEndpoint: 'kw.cmd.webhook.disable',
  enableWebhookEndpoint: 'kw.cmd.webhook.enable',
  deleteWebhookEndpoint: 'kw.cmd.webhook.delete',
  /** Sent only by the notifier, with the operator token, for an endpoint that keeps failing. */
  disableFailingWebhookEndpoint: 'kw.cmd.webhook.disable-failing',
} as const;

/** Every command subject, for permissions and subscriptions. */
export const ALL_COMMAND_SUBJECTS = 'kw.cmd.>';

export type CommandSubject = (typeof COMMAND_SUBJECTS)[keyof typeof COMMAND_SUBJECTS];

/** Queue group shared by every command-service replica, so each command is handled once. */
export const COMMAND_QUEUE_GROUP = 'keyward-command';

/** Liveness pings answered by any replica of a service. */
/** Lifecycle notifications for other services: `kw.notify.<orgId>.<event>` (docs/architecture.md). */
export const NOTIFY_SUBJECT_PREFIX = 'kw.notify';

export const HEALTH_SUBJECTS = {
  command: 'kw.health.command',
} as const;
