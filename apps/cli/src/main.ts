import { Command, Option } from 'commander';
import { connect } from 'nats';
import { COMMAND_SUBJECTS as S, NatsJsonClient, ReplyErrorException } from '@keyward/messaging';
import { natsSettingsFrom } from '@keyward/transport';

/**
 * `keyward`: the operator CLI. Talks to the services over NATS like any other client; the
 * credential comes from KEYWARD_KEY (never a flag, so it stays out of shell history), and the
 * NATS user from NATS_USER / NATS_PASSWORD (`npm run up` writes them to .data/internal-client.env).
 */
const program = new Command('keyward')
  .description('Keyward operator CLI: service accounts and API keys over NATS')
  .addOption(
    new Option('--nats <url>', 'NATS server URL').env('NATS_URL').default('nats://127.0.0.1:4222'),
  )
  .showHelpAfterError();

type Call = (subject: string, body: object, operator?: boolean) => Promise<void>;

function action<A extends unknown[]>(run: (call: Call, ...args: A) => Promise<void>) {
  return async (...args: A) => {
    const { nats } = program.opts<{ nats: string }>();
    const servers = nats.split(',').map((server) => server.trim());
    const connection = await connect({ ...natsSettingsFrom(process.env), servers });
    const client = new NatsJsonClient(connection);
    const call: Call = async (subject, body, operator = false) => {
      const answer = await client.request(subject, body, {
        authorization: operator ? undefined : process.env.KEYWARD_KEY,
        operatorToken: operator ? process.env.KEYWARD_OPERATOR_TOKEN : undefined,
      });
      console.log(JSON.stringify(answer, null, 2));
    };
    try {
      await run(call, ...args);
    } finally {
      await connection.drain();
    }
  };
}

program
  .command('bootstrap')
  .description('create an organization with its first admin and key (needs KEYWARD_OPERATOR_TOKEN)')
  .requiredOption('--name <name>', 'organization name')
  .option('--org-id <id>', 'organization id (default: generated)')
  .option('--admin-user <id>', 'first admin user id', 'admin')
  .option('--admin-name <name>', 'first admin display name', 'Administrator')
  .action(
    action(
      async (call, opts: { name: string; orgId?: string; adminUser: string; adminName: string }) =>
        call(
          S.bootstrapOrganization,
          {
            name: opts.name,
            orgId: opts.orgId,
            admin: { userId: opts.adminUser, displayName: opts.adminName },
          },
          true,
        ),
    ),
  );

const sa = program.command('sa').description('service accounts');
sa.command('create')
  .requiredOption('--name <name>')
  .option('--description <text>')
  .option('--role <role>', 'reader, executor, writer, admin or a custom role (default reader)')
  .option('--resources <list>', 'comma-separated resource ids (default: all you hold the role on)')
  .option('--basic-auth', 'allow HTTP Basic with the account id and a key')
  .action(
    action(
      async (
        call,
        o: {
          name: string;
          description?: string;
          role?: string;
          resources?: string;
          basicAuth?: boolean;
        },
      ) =>
        call(S.createServiceAccount, {
          name: o.name,
          description: o.description,
          role: o.role,
          resources: o.resources?.split(',').map((r) => r.trim()),
          enableBasicAuth: o.basicAuth,
        }),
    ),
  );
sa.command('delete <id>').action(
  action(async (call, id: string) => call(S.deleteServiceAccount, { id })),
);

const key = program.command('key').description('API keys of service accounts');
key
  .command('issue <accountId>')
  .option('--name <name>')
  .option('--expires-at <epochSeconds>', 'expiry as epoch seconds', (v) => Number(v))
  .action(
    action(async (call, id: string, o: { name?: string; expiresAt?: number }) =>
      call(S.issueServiceAccountKey, { id, name: o.name, expiresAt: o.expiresAt }),
    ),
  );
key
  .command('revoke <accountId> <keyId>')
  .action(
    action(async (call, id: string, keyId: string) =>
      call(S.revokeServiceAccountKey, { id, keyId }),
    ),
  );
key
  .command('revoke-all <accountId>')
  .action(action(async (call, id: string) => call(S.revokeAllServiceAccountKeys, { id })));
key
  .command('revoke-value')
  .description('revoke the key read from standard input (reason: leaked)')
  .action(
    action(async (call) => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      await call(S.revokeKeyByValue, { key: Buffer.concat(chunks).toString().trim() });
    }),
  );

program.parseAsync().catch((error: unknown) => {
  if (error instanceof ReplyErrorException) {
    console.error(JSON.stringify({ error: error.error }, null, 2));
  } else {
    console.error(`keyward: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
