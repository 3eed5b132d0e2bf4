import type { Command } from 'commander';
import type { BootstrapOrganizationReply, VerifiedKey } from '@keyward/messaging';
import { ApiClient, CliError } from '../api/api-client';
import { configPath, readConfig, resolveTarget, writeConfig } from '../config/profiles';
import { EXIT } from '../exit-codes';
import { readSecret } from '../input/secret';
import { note, printJson, printRecord, printRows, time } from '../output/output';
import { printSecretOnce } from './secret-output';
import { contextOf, type GlobalOptions } from './context';

/** `login`, `logout`, `whoami`, `profiles` and `bootstrap`. */
export function registerAuth(program: Command): void {
  program
    .command('login')
    .description('check a key against a gateway and save both in a profile (file mode 0600)')
    .option('--url <url>', 'gateway URL (default: KEYWARD_URL, or the profile’s)')
    .addHelpText(
      'after',
      '\nThe key is read from standard input when piped, else prompted for without echo;\n' +
        'never pass it as an argument. Example: keyward login --url http://127.0.0.1:8080 < key.txt',
    )
    .action(async (options: { url?: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const path = configPath();
      const config = readConfig(path);
      const current = resolveTarget(config, globals.profile);
      const url = options.url ?? current.url;
      if (!url) throw new CliError('a gateway URL is needed: --url or KEYWARD_URL', EXIT.usage);
      if (!/^https?:\/\/[^/]/.test(url)) {
        throw new CliError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`, EXIT.usage);
      }
      const key = await readSecret('API key: ');
      const who = await verify(new ApiClient({ url, key }));
      config.profiles[current.profile] = { url, key };
      config.current = current.profile;
      writeConfig(path, config);
      note(
        `logged in to ${url} as ${describe(who)} (profile "${current.profile}", saved in ${path})`,
      );
    });

  program
    .command('logout')
    .description('forget the key of the profile (the key itself stays valid: revoke it to end it)')
    .action((_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const path = configPath();
      const config = readConfig(path);
      const profile = globals.profile ?? process.env.KEYWARD_PROFILE ?? config.current;
      const stored = config.profiles[profile];
      if (!stored?.key) throw new CliError(`profile "${profile}" holds no key`, EXIT.notFound);
      config.profiles[profile] = { url: stored.url };
      writeConfig(path, config);
      note(`profile "${profile}" no longer holds a key`);
    });

  program
    .command('whoami')
    .description('who the configured key belongs to, and what it may do')
    .action(async (_options: unknown, command: Command) => {
      const { api, output, target } = contextOf(command);
      const who = await verify(api);
      printRecord(
        output,
        [
          ['principal', `${who.principal.kind} ${who.principal.id}`],
          ['organization', who.orgId],
          ['org admin', who.orgAdmin ? 'yes' : 'no'],
          ['role', who.role ?? '(per resource)'],
          ['permissions', who.permissions],
          ['resources', who.resources],
          ['key', who.keyId],
          ['expires', who.expiresAt === null ? 'never' : time(who.expiresAt)],
          ['profile', target.profile],
          ['gateway', api.url],
        ],
        who,
      );
    });

  program
    .command('profiles')
    .description('the saved profiles (keys are not shown)')
    .action((_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = readConfig(configPath());
      const rows = Object.entries(config.profiles).map(([name, profile]) => ({
        name,
        url: profile.url,
        key: profile.key ? 'yes' : 'no',
        current: name === config.current ? '*' : '',
      }));
      if (globals.json) return printJson({ current: config.current, profiles: rows });
      printRows(
        { json: false },
        rows,
        [
          { header: '', value: (r) => r.current },
          { header: 'profile', value: (r) => r.name },
          { header: 'gateway', value: (r) => r.url },
          { header: 'key', value: (r) => r.key },
        ],
        rows,
      );
    });

  program
    .command('bootstrap')
    .description('create the first organization, its admin and a key (needs the operator token)')
    .requiredOption('--name <name>', 'organization name')
    .option('--org-id <id>', 'organization id (default: generated)')
    .option('--admin-user <id>', 'the first admin’s user id', 'admin')
    .option('--admin-name <name>', 'the first admin’s display name', 'Administrator')
    .addHelpText(
      'after',
      '\nThe operator token comes from KEYWARD_OPERATOR_TOKEN (npm run up keeps it in\n' +
        '.data/operator-token). An organization that already exists is refused (exit 6).',
    )
    .action(
      async (
        options: { name: string; orgId?: string; adminUser: string; adminName: string },
        command: Command,
      ) => {
        const operatorToken = process.env.KEYWARD_OPERATOR_TOKEN;
        if (!operatorToken) {
          throw new CliError('set KEYWARD_OPERATOR_TOKEN to the operator token', EXIT.usage);
        }
        const { api, output } = contextOf(command, false);
        const reply = await new ApiClient({
          url: api.url,
          operatorToken,
        }).call<BootstrapOrganizationReply>('POST', '/api/operator/v1/organization', {
          name: options.name,
          orgId: options.orgId,
          admin: { userId: options.adminUser, displayName: options.adminName },
        });
        printSecretOnce(output, reply, reply.key.secret, [
          ['organization', reply.orgId],
          ['admin', reply.adminUserId],
          ['key', reply.key.keyId],
        ]);
      },
    );
}

/** The key's principal; a key the gateway does not accept ends the command (exit 3). */
async function verify(api: ApiClient): Promise<VerifiedKey> {
  const reply = await api.call<VerifiedKey | { valid: false; reason: string }>(
    'POST',
    '/api/auth/v1/verify',
    {},
  );
  if (!reply.valid) {
    throw new CliError(
      `the key is not valid (${reply.reason})`,
      EXIT.unauthenticated,
      'AUTH.INVALID_CREDENTIAL',
    );
  }
  return reply;
}

function describe(who: VerifiedKey): string {
  return `${who.principal.kind} ${who.principal.id} of ${who.orgId}`;
}
