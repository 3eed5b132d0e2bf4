import type { Command } from 'commander';
import type { Page, ServiceAccountView, ServiceAccountWithKeysView } from '@keyward/messaging';
import { SA_PATH } from '../api/paths';
import { note, printPage, printRecord, printRows, time, type Column } from '../output/output';
import { confirm } from './confirm';
import { contextOf, positiveInteger, queryOf, segment } from './context';
import { KEY_COLUMNS } from './keys';

const ACCOUNT_COLUMNS: Column<ServiceAccountView>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'name', value: (a) => a.name },
  { header: 'status', value: (a) => a.status },
  { header: 'role', value: (a) => a.role },
  { header: 'resources', value: (a) => a.resources },
  { header: 'active keys', value: (a) => a.activeKeys },
  { header: 'created', value: (a) => time(a.created) },
];

function accountFields(account: ServiceAccountView): [string, unknown][] {
  return [
    ['id', account.id],
    ['name', account.name],
    ['description', account.description],
    ['status', account.status],
    ['role', account.role],
    ['permissions', account.permissions],
    ['resources', account.resources],
    ['basic auth', account.enableBasicAuth ? 'yes' : 'no'],
    ['active keys', account.activeKeys],
    ['created', time(account.created)],
  ];
}

/** `keyward sa create|list|get|rename|delete`. */
export function registerServiceAccounts(program: Command): void {
  const sa = program.command('sa').description('service accounts');

  sa.command('create')
    .description('create a service account (one role, on a fixed set of resources)')
    .requiredOption('--name <name>', 'unique among the active accounts of the organization')
    .option('--description <text>')
    .option('--role <role>', 'reader, executor, writer, admin or a custom role (default reader)')
    .option(
      '--resources <list>',
      'comma-separated resource ids (default: all you hold the role on)',
    )
    .option('--basic-auth', 'accept HTTP Basic with the account id and a key')
    .action(
      async (
        options: {
          name: string;
          description?: string;
          role?: string;
          resources?: string;
          basicAuth?: boolean;
        },
        command: Command,
      ) => {
        const { api, output } = contextOf(command);
        const account = await api.call<ServiceAccountView>('POST', SA_PATH, {
          name: options.name,
          description: options.description,
          role: options.role,
          resources: options.resources?.split(',').map((resource) => resource.trim()),
          enableBasicAuth: options.basicAuth,
        });
        printRecord(output, accountFields(account), account);
      },
    );

  sa.command('list')
    .description('list service accounts')
    .option('--status <status>', 'active, deleted or all (default active)')
    .option('--name-prefix <prefix>', 'only names starting with this')
    .option('--limit <n>', 'page size', positiveInteger('--limit'))
    .option('--cursor <cursor>', 'continue after a previous page')
    .action(
      async (
        options: { status?: string; namePrefix?: string; limit?: number; cursor?: string },
        command: Command,
      ) => {
        const { api, output } = contextOf(command);
        const page = await api.call<Page<ServiceAccountView>>(
          'GET',
          SA_PATH +
            queryOf({
              status: options.status,
              namePrefix: options.namePrefix,
              limit: options.limit,
              cursor: options.cursor,
            }),
        );
        printPage(output, page, ACCOUNT_COLUMNS);
      },
    );

  sa.command('get <id>')
    .description('one service account with every key it ever had')
    .action(async (id: string, _options: unknown, command: Command) => {
      const { api, output } = contextOf(command);
      const account = await api.call<ServiceAccountWithKeysView>(
        'GET',
        `${SA_PATH}/${segment(id)}`,
      );
      printRecord(output, accountFields(account), account);
      if (!output.json) {
        process.stdout.write('\nkeys\n');
        printRows(output, account.keys, KEY_COLUMNS, account.keys);
      }
    });

  sa.command('rename <id> <name>')
    .description('change the name (and with --description, the description)')
    .option('--description <text>')
    .action(
      async (id: string, name: string, options: { description?: string }, command: Command) => {
        const { api, output } = contextOf(command);
        const account = await api.call<ServiceAccountView>('PATCH', `${SA_PATH}/${segment(id)}`, {
          name,
          description: options.description,
        });
        printRecord(output, accountFields(account), account);
      },
    );

  sa.command('delete <id>')
    .description('delete the account; every key it has is revoked with it')
    .option('--yes', 'do not ask for confirmation')
    .action(async (id: string, options: { yes?: boolean }, command: Command) => {
      const { api } = contextOf(command);
      await confirm(`delete service account ${id} and revoke all its keys`, options.yes);
      await api.call('DELETE', `${SA_PATH}/${segment(id)}`);
      note(`deleted ${id}`);
    });
}
