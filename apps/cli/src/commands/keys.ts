import type { Command } from 'commander';
import type { IssuedKeyReply, KeyView, Page, RotatedKeyReply } from '@keyward/messaging';
import { CliError, type ApiClient } from '../api/api-client';
import { SA_PATH } from '../api/paths';
import { EXIT } from '../exit-codes';
import { readSecret } from '../input/secret';
import { durationSecondsOf, epochSecondsOf } from '../input/times';
import { note, printJson, printPage, time, type Column, type Output } from '../output/output';
import { confirm } from './confirm';
import { contextOf, positiveInteger, queryOf, segment } from './context';
import { printSecretOnce } from './secret-output';

export const KEY_COLUMNS: Column<KeyView>[] = [
  { header: 'key id', value: (k) => k.keyId },
  { header: 'hint', value: (k) => k.hint },
  { header: 'name', value: (k) => k.name },
  { header: 'status', value: (k) => k.status },
  { header: 'created', value: (k) => time(k.created) },
  { header: 'expires', value: (k) => (k.expiresAt === null ? 'never' : time(k.expiresAt)) },
  { header: 'last used', value: (k) => time(k.lastUsed) },
  { header: 'uses', value: (k) => k.uses },
  {
    header: 'rotation',
    value: (k) =>
      [
        k.succeeds ? `succeeds ${k.succeeds}` : '',
        k.succeededBy ? `succeeded by ${k.succeededBy}` : '',
      ]
        .filter(Boolean)
        .join(', '),
  },
  {
    header: 'revoked',
    value: (k) =>
      k.revoked
        ? `${time(k.revoked.at)} by ${k.revoked.by.id ?? k.revoked.by.kind} (${k.revoked.reason})`
        : '',
  },
];

export const REASON_HELP =
  'recorded with the revocation: manual (default), leaked, expired or revoke_all';

export const ROTATE_DESCRIPTION =
  'issue a successor to a key and end the old one after the grace; the new secret is printed once';

/**
 * An expiry as the API takes it (epoch seconds): `2027-01-31T00:00:00Z`, epoch seconds, or a
 * duration from now (`90m`, `12h`, `30d`).
 */
export function expiryOf(text: string, now = Date.now()): number {
  const duration = /^(\d+)([smhd])$/.exec(text);
  if (duration) {
    const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[duration[2] as 's' | 'm' | 'h' | 'd'];
    return Math.floor(now / 1000) + Number(duration[1]) * unit;
  }
  const seconds = epochSecondsOf(text);
  if (seconds === undefined) {
    throw new CliError(
      `--expires must be a time (2027-01-31T00:00:00Z), epoch seconds or a duration (30d, 12h), got ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return seconds;
}

/** A grace period as the API takes it (seconds): `0`, seconds, or a duration (`90m`, `24h`, `7d`). */
export function graceSecondsOf(text: string): number {
  const seconds = durationSecondsOf(text);
  if (seconds === undefined) {
    throw new CliError(
      `--grace must be seconds or a duration (30s, 90m, 24h, 7d), got ${JSON.stringify(text)}`,
      EXIT.usage,
    );
  }
  return seconds;
}

export interface IssueOptions {
  name?: string;
  description?: string;
  expires?: string;
}

export function withIssueOptions(command: Command): Command {
  return command
    .option('--name <name>', 'a label for the key')
    .option('--description <text>')
    .option('--expires <when>', 'expiry: a time, epoch seconds, or a duration (30d, 12h)');
}

export type RotateOptions = IssueOptions & { grace?: string };

/** `rotate`: the successor's fields as for issuing, and how long the old key keeps working. */
export function withRotateOptions(command: Command): Command {
  return withIssueOptions(command).option(
    '--grace <duration>',
    'how long the old key keeps working: 0, 90m, 24h (default), 7d',
  );
}

export async function issueKey(
  api: ApiClient,
  output: Output,
  path: string,
  options: IssueOptions,
) {
  const reply = await api.call<IssuedKeyReply>('POST', path, {
    name: options.name,
    description: options.description,
    expiresAt: options.expires === undefined ? undefined : expiryOf(options.expires),
  });
  printSecretOnce(output, reply, reply.secret, [
    ['key id', reply.keyId],
    ['hint', reply.hint],
    ['created', time(reply.created)],
    ['expires', reply.expiresAt === null ? 'never' : time(reply.expiresAt)],
  ]);
}

export async function rotateKey(
  api: ApiClient,
  output: Output,
  path: string,
  options: RotateOptions,
) {
  const reply = await api.call<RotatedKeyReply>('POST', path, {
    graceSeconds: options.grace === undefined ? undefined : graceSecondsOf(options.grace),
    name: options.name,
    description: options.description,
    expiresAt: options.expires === undefined ? undefined : expiryOf(options.expires),
  });
  printSecretOnce(output, reply, reply.secret, [
    ['key id', reply.keyId],
    ['hint', reply.hint],
    ['created', time(reply.created)],
    ['expires', reply.expiresAt === null ? 'never' : time(reply.expiresAt)],
    ['replaces', reply.previous.keyId],
    ['old key expires', time(reply.previous.expiresAt)],
  ]);
}

export async function listKeys(api: ApiClient, output: Output, path: string, options: ListOptions) {
  const page = await api.call<Page<KeyView>>(
    'GET',
    path + queryOf({ status: options.status, limit: options.limit, cursor: options.cursor }),
  );
  printPage(output, page, KEY_COLUMNS);
}

export interface ListOptions {
  status?: string;
  limit?: number;
  cursor?: string;
}

export function withListOptions(command: Command): Command {
  return command
    .option('--status <status>', 'active, revoked, expired or all')
    .option('--limit <n>', 'page size', positiveInteger('--limit'))
    .option('--cursor <cursor>', 'continue after a previous page');
}

/** Prints the ids a revoke-all or revoke-by-value revoked (every verifier already refuses them). */
export function printRevoked(output: Output, reply: { revokedKeyIds: string[] }): void {
  if (output.json) return printJson(reply);
  for (const keyId of reply.revokedKeyIds) process.stdout.write(`${keyId}\n`);
  note(`revoked ${reply.revokedKeyIds.length} key(s)`);
}

/** `keyward key …` (a service account's keys) and `keyward me key …` (your own). */
export function registerKeys(program: Command): void {
  const key = program.command('key').description('API keys of service accounts');

  withIssueOptions(key.command('issue <accountId>'))
    .description('issue a key; its secret is printed once')
    .action(async (id: string, options: IssueOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await issueKey(api, output, `${SA_PATH}/${segment(id)}/key`, options);
    });

  withRotateOptions(key.command('rotate <accountId> <keyId>'))
    .description(ROTATE_DESCRIPTION)
    .action(async (id: string, keyId: string, options: RotateOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await rotateKey(
        api,
        output,
        `${SA_PATH}/${segment(id)}/key/${segment(keyId)}/rotate`,
        options,
      );
    });

  withListOptions(key.command('list <accountId>'))
    .description('the keys of an account')
    .action(async (id: string, options: ListOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await listKeys(api, output, `${SA_PATH}/${segment(id)}/key`, options);
    });

  key
    .command('revoke <accountId> <keyId>')
    .description('revoke one key; every verifier refuses it before this returns')
    .option('--reason <reason>', REASON_HELP)
    .action(async (id: string, keyId: string, options: { reason?: string }, command: Command) => {
      const { api } = contextOf(command);
      await api.call(
        'DELETE',
        `${SA_PATH}/${segment(id)}/key/${segment(keyId)}${queryOf({ reason: options.reason })}`,
      );
      note(`revoked ${keyId}`);
    });

  key
    .command('revoke-all <accountId>')
    .description('revoke every active key of an account')
    .option('--yes', 'do not ask for confirmation')
    .action(async (id: string, options: { yes?: boolean }, command: Command) => {
      const { api, output } = contextOf(command);
      await confirm(`revoke every active key of ${id}`, options.yes);
      printRevoked(output, await api.call('POST', `${SA_PATH}/${segment(id)}/key/revoke-all`, {}));
    });

  key
    .command('revoke-by-value')
    .description('revoke the key whose value is read from stdin or a prompt (never an argument)')
    .option('--reason <reason>', `${REASON_HELP} (default leaked)`, 'leaked')
    .action(async (options: { reason: string }, command: Command) => {
      const { api, output } = contextOf(command);
      const value = await readSecret('key to revoke: ');
      printRevoked(
        output,
        await api.call('POST', '/api/key/v1/revoke-by-value', {
          key: value,
          reason: options.reason,
        }),
      );
    });

  const me = program.command('me').description('you, the member the configured key belongs to');
  const mine = me.command('key').description('your personal keys');
  const ownKeys = '/api/me/v1/key';

  withIssueOptions(mine.command('issue'))
    .description('issue a personal key; its secret is printed once')
    .action(async (options: IssueOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await issueKey(api, output, ownKeys, options);
    });

  withListOptions(mine.command('list'))
    .description('your personal keys')
    .action(async (options: ListOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await listKeys(api, output, ownKeys, options);
    });

  withRotateOptions(mine.command('rotate <keyId>'))
    .description(ROTATE_DESCRIPTION)
    .action(async (keyId: string, options: RotateOptions, command: Command) => {
      const { api, output } = contextOf(command);
      await rotateKey(api, output, `${ownKeys}/${segment(keyId)}/rotate`, options);
    });

  mine
    .command('revoke <keyId>')
    .option('--reason <reason>', REASON_HELP)
    .description('revoke one of your keys')
    .action(async (keyId: string, options: { reason?: string }, command: Command) => {
      const { api } = contextOf(command);
      await api.call(
        'DELETE',
        `${ownKeys}/${segment(keyId)}${queryOf({ reason: options.reason })}`,
      );
      note(`revoked ${keyId}`);
    });

  mine
    .command('revoke-all')
    .description('revoke every one of your keys, including the one in use')
    .option('--yes', 'do not ask for confirmation')
    .action(async (options: { yes?: boolean }, command: Command) => {
      const { api, output } = contextOf(command);
      await confirm('revoke every one of your personal keys', options.yes);
      printRevoked(output, await api.call('POST', `${ownKeys}/revoke-all`, {}));
    });
}
