import { CliError } from '../api/api-client';
import { EXIT } from '../exit-codes';

/**
 * A secret (an API key) from standard input when it is piped, else typed at a prompt without
 * echo. Never from the command line: arguments end up in shell history and `ps`.
 */
export async function readSecret(prompt: string): Promise<string> {
  const value = process.stdin.isTTY ? await promptHidden(prompt) : await readAll();
  const secret = value.trim();
  if (secret === '') throw new CliError('no key given (empty input)', EXIT.usage);
  return secret;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line in raw mode, echoing nothing; Ctrl-C or Ctrl-D cancels. */
function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      outcome();
    };
    const onData = (data: Buffer) => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return finish(() => resolve(typed));
        if (char === '\u0003' || char === '\u0004') {
          return finish(() => reject(new CliError('cancelled', EXIT.usage)));
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
