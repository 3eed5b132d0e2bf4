import type { Command } from 'commander';
import type { MemberView, Page, RoleView } from '@keyward/messaging';
import { CliError } from '../api/api-client';
import { EXIT } from '../exit-codes';
import { durationSecondsOf } from '../input/times';
import {
  note,
  printJson,
  printPage,
  printRecord,
  printRows,
  time,
  type Column,
} from '../output/output';
import { confirm } from './confirm';
import { contextOf, positiveInteger, queryOf, segment } from './context';
import {
  issueKey,
  listKeys,
  printRevoked,
  REASON_HELP,
  ROTATE_DESCRIPTION,
  rotateKey,
  withIssueOptions,
  withListOptions,
  withRotateOptions,
  type IssueOptions,
  type ListOptions,
  type RotateOptions,
} from './keys';

const MEMBERS = '/api/member/v1/member';
const ROLES = '/api/role/v1/role';
const POLICY = '/api/organization/v1/policy';

const MEMBER_COLUMNS: Column<MemberView>[] = [
  { header: 'user', value: (m) => m.userId },
  { header: 'name', value: (m) => m.displayName },
  { header: 'org role', value: (m) => m.orgRole },
  { header: 'grants', value: (m) => m.grants.map((g) => `${g.resource}=${g.role}`) },
  { header: 'status', value: (m) => m.status },
  { header: 'active keys', value: (m) => m.activeKeys },
  { header: 'added', value: (m) => time(m.added) },
];

function memberKeyPath(userId: string, keyId: string): string {
  return `${MEMBERS}/${segment(userId)}/key/${segment(keyId)}`;
}

/** `--grant db:orders=writer`, repeatable: a role on a resource. */
function collectGrant(value: string, grants: { resource: string; role: string }[] = []) {
  const at = value.lastIndexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new CliError(
      `--grant must be resource=role (db:orders=writer), got ${JSON.stringify(value)}`,
      EXIT.usage,
    );
  }
  return [...grants, { resource: value.slice(0, at), role: value.slice(at + 1) }];
}

/** `keyward member …`, `keyward role …` and `keyward policy …` (org admins). */
export function registerOrganization(program: Command): void {
  const member = program.command('member').description('members of the organization (org admins)');

  member
    .command('list')
    .option('--status <status>', 'active, removed or all (default active)')
    .option('--limit <n>', 'page size', positiveInteger('--limit'))
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (options: { status?: string; limit?: number; cursor?: string }, command: Command) => {
        const { api, output } = contextOf(command);
        const page = await api.call<Page<MemberView>>('GET', MEMBERS + queryOf({ ...options }));
        printPage(output, page, MEMBER_COLUMNS);
      },
    );

  member
    .command('add <userId>')
    .description('add a member with a role per resource')
    .requiredOption('--name <displayName>', 'display name')
    .option('--grant <resource=role>', 'a role on a resource (repeatable)', collectGrant)
    .option('--org-admin', 'make the member an org admin')
    .action(
      async (
        userId: string,
        options: { name: string; grant?: { resource: string; role: string }[]; orgAdmin?: boolean },
        command: Command,
      ) => {
        const { api, output } = contextOf(command);
        const added = await api.call<MemberView>('POST', MEMBERS, {
          userId,
          displayName: options.name,
          orgRole: options.orgAdmin ? 'admin' : undefined,
          grants: options.grant ?? [],
        });
        printRecord(output, memberFields(added), added);
      },
    );

  member
    .command('set-grants <userId>')
    .description('replace a member’s grants (and with --org-role, its org role)')
    .option(
      '--grant <resource=role>',
      'a role on a resource (repeatable; none: no grants)',
      collectGrant,
    )
    .option('--org-role <role>', 'admin or member')
    .action(
      async (
        userId: string,
        options: { grant?: { resource: string; role: string }[]; orgRole?: string },
        command: Command,
      ) => {
        const { api, output } = contextOf(command);
        const changed = await api.call<MemberView>('PATCH', `${MEMBERS}/${segment(userId)}`, {
          orgRole: options.orgRole,
          grants: options.grant ?? [],
        });
        printRecord(output, memberFields(changed), changed);
      },
    );

  member
    .command('remove <userId>')
    .description('remove a member; every personal key is revoked with it')
    .option('--yes', 'do not ask for confirmation')
    .action(async (userId: string, options: { yes?: boolean }, command: Command) => {
      const { api } = contextOf(command);
      await confirm(`remove member ${userId} and revoke all their keys`, options.yes);
      await api.call('DELETE', `${MEMBERS}/${segment(userId)}`);
      note(`removed ${userId}`);
    });

  const memberKey = member.command('key').description('a member’s personal keys');
  withIssueOptions(memberKey.command('issue <userId>'))
    .description('issue a personal key for a member; its secret is printed once')
    .action(async (userId: string, options: IssueOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await issueKey(api, output, `${MEMBERS}/${segment(userId)}/key`, options);
    });
  withListOptions(memberKey.command('list <userId>'))
    .description('a member’s personal keys')
    .action(async (userId: string, options: ListOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await listKeys(api, output, `${MEMBERS}/${segment(userId)}/key`, options);
    });
  withRotateOptions(memberKey.command('rotate <userId> <keyId>'))
    .description(ROTATE_DESCRIPTION)
    .action(async (userId: string, keyId: string, options: RotateOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await rotateKey(api, output, `${memberKeyPath(userId, keyId)}/rotate`, options);
    });
  memberKey
    .command('revoke <userId> <keyId>')
    .description('revoke one of a member’s keys; every verifier refuses it before this returns')
    .option('--reason <reason>', REASON_HELP)
    .action(
      async (userId: string, keyId: string, options: { reason?: string }, command: Command) => {
        const { api } = contextOf(command);
        await api.call(
          'DELETE',
          memberKeyPath(userId, keyId) + queryOf({ reason: options.reason }),
        );
        note(`revoked ${keyId} of ${userId}`);
      },
    );
  memberKey
    .command('revoke-all <userId>')
    .description('revoke every active key of a member, who stays a member')
    .option('--yes', 'do not ask for confirmation')
    .action(async (userId: string, options: { yes?: boolean }, command: Command) => {
      const { api, output } = contextOf(command);
      await confirm(`revoke every active key of member ${userId}`, options.yes);
      printRevoked(
        output,
        await api.call('POST', `${MEMBERS}/${segment(userId)}/key/revoke-all`, {}),
      );
    });

  const role = program.command('role').description('roles: the built-in ones and the org’s own');
  role.command('list').action(async (_options: unknown, command: Command) => {
    const { api, output } = contextOf(command);
    const roles = await api.call<{ items: RoleView[] }>('GET', ROLES);
    printRows(
      output,
      roles.items,
      [
        { header: 'role', value: (r) => r.name },
        { header: 'permissions', value: (r) => r.permissions },
        { header: 'built in', value: (r) => (r.builtIn ? 'yes' : 'no') },
        { header: 'defined', value: (r) => time(r.defined) },
      ],
      roles,
    );
  });
  role
    .command('define <name>')
    .description('define a custom role (a name for a set of permissions)')
    .requiredOption('--permissions <list>', 'comma-separated: read, execute, write, delete, admin')
    .action(async (name: string, options: { permissions: string }, command: Command) => {
      const { api, output } = contextOf(command);
      const defined = await api.call<RoleView>('POST', ROLES, {
        name,
        permissions: options.permissions.split(',').map((p) => p.trim()),
      });
      printRecord(
        output,
        [
          ['role', defined.name],
          ['permissions', defined.permissions],
        ],
        defined,
      );
    });

  const policy = program.command('policy').description('the organization’s key policy');
  policy.command('get').action(async (_options: unknown, command: Command) => {
    const { api, output } = contextOf(command);
    printPolicy(output.json, await api.call<PolicyView>('GET', POLICY));
  });
  policy
    .command('set')
    .description('change the policy; options left out keep their value')
    .option(
      '--max-active-keys <n>',
      'most active keys per member or account',
      positiveInteger('--max-active-keys'),
    )
    .option('--max-key-lifetime <seconds|none>', 'longest key lifetime in seconds, or none')
    .option(
      '--allowed-roles <list|any>',
      'roles service accounts may have (comma-separated), or any',
    )
    .option(
      '--expiry-notice <duration|default>',
      'how long before a key expires its key.expiring_soon notice goes out (7d, 12h, 0 for none), or default',
    )
    .action(
      async (
        options: {
          maxActiveKeys?: number;
          maxKeyLifetime?: string;
          allowedRoles?: string;
          expiryNotice?: string;
        },
        command: Command,
      ) => {
        const { api, output } = contextOf(command);
        const body: Record<string, unknown> = {};
        if (options.maxActiveKeys !== undefined)
          body.maxActiveKeysPerPrincipal = options.maxActiveKeys;
        if (options.maxKeyLifetime !== undefined) {
          body.maxKeyLifetimeSeconds =
            options.maxKeyLifetime === 'none'
              ? null
              : positiveInteger('--max-key-lifetime')(options.maxKeyLifetime);
        }
        if (options.allowedRoles !== undefined) {
          body.allowedServiceAccountRoles =
            options.allowedRoles === 'any'
              ? null
              : options.allowedRoles.split(',').map((r) => r.trim());
        }
        if (options.expiryNotice !== undefined) {
          body.expiryNoticeSeconds = expiryNoticeOf(options.expiryNotice);
        }
        if (Object.keys(body).length === 0) {
          throw new CliError(
            'nothing to change: give at least one option (see --help)',
            EXIT.usage,
          );
        }
        printPolicy(output.json, await api.call<PolicyView>('PUT', POLICY, body));
      },
    );
}

interface PolicyView {
  maxActiveKeysPerPrincipal: number;
  maxKeyLifetimeSeconds: number | null;
  allowedServiceAccountRoles: string[] | null;
  expiryNoticeSeconds: number | null;
}

/** `--expiry-notice`: seconds or a duration (`0`: no notice), or `default` (null). */
export function expiryNoticeOf(text: string): number | null {
  if (text === 'default') return null;
  const seconds = durationSecondsOf(text);
  if (seconds === undefined) {
    throw new CliError(
      `--expiry-notice must be a duration (7d, 12h, 90m, 0 for none) or default, got ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return seconds;
}

function expiryNoticeText(seconds: number | null): string {
  if (seconds === null) return 'deployment default';
  return seconds === 0 ? 'none (only key.expired)' : `${seconds} s`;
}

function printPolicy(json: boolean, policy: PolicyView): void {
  if (json) return printJson(policy);
  printRecord(
    { json },
    [
      ['max active keys', policy.maxActiveKeysPerPrincipal],
      [
        'max key lifetime',
        policy.maxKeyLifetimeSeconds === null ? 'none' : `${policy.maxKeyLifetimeSeconds} s`,
      ],
      ['allowed roles', policy.allowedServiceAccountRoles ?? 'any'],
      ['expiry notice', expiryNoticeText(policy.expiryNoticeSeconds)],
    ],
    policy,
  );
}

function memberFields(member: MemberView): [string, unknown][] {
  return [
    ['user', member.userId],
    ['name', member.displayName],
    ['org role', member.orgRole],
    ['grants', member.grants.map((g) => `${g.resource}=${g.role} (${g.permissions.join(', ')})`)],
    ['status', member.status],
    ['active keys', member.activeKeys],
  ];
}
