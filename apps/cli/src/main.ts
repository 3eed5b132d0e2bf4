#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { CliError } from './api/api-client';
import { registerAudit } from './commands/audit';
import { registerAuth } from './commands/auth';
import { registerCompletion } from './commands/completion';
import { registerKeys } from './commands/keys';
import { registerOrganization } from './commands/organization';
import { registerServiceAccounts } from './commands/service-accounts';
import { registerWebhooks } from './commands/webhooks';
import { EXIT } from './exit-codes';

/**
 * `keyward`: the operator CLI, a client of the gateway's REST API. The gateway URL and key come
 * from a profile saved by `keyward login` (0600 file) or from KEYWARD_URL / KEYWARD_KEY; a key is
 * never an argument. Exit codes: README (CLI).
 */
export function buildProgram(): Command {
  const program = new Command('keyward')
    .description('Keyward: service accounts and API keys, over the gateway’s REST API')
    .addOption(new Option('--profile <name>', 'saved profile to use').env('KEYWARD_PROFILE'))
    .option('--json', 'print the API’s JSON instead of tables (for scripts)')
    .showHelpAfterError()
    .exitOverride();
  registerAuth(program);
  registerServiceAccounts(program);
  registerKeys(program);
  registerOrganization(program);
  registerAudit(program);
  registerWebhooks(program);
  registerCompletion(program);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/** Runs the CLI and exits with its code: the API's code and message on stderr on failure. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; commander has already printed the usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      const code = error.code ? `${error.code}: ` : '';
      process.stderr.write(`keyward: ${code}${error.message}\n`);
      for (const detail of error.details ?? []) {
        process.stderr.write(`  ${detail.field}: ${detail.problem}\n`);
      }
      return error.exitCode;
    }
    process.stderr.write(`keyward: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  // A reader that stops early (`keyward audit export | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? EXIT.ok);
  });
  void run(process.argv).then((code) => {
    process.exitCode = code;
  });
}
