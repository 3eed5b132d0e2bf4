import { createInterface } from 'node:readline/promises';
import { CliError } from '../api/api-client';
import { EXIT } from '../exit-codes';

/**
 * Asks before something that cannot be undone. `--yes` skips the question; without a terminal
 * to ask on, `--yes` is required (a script must say so explicitly).
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) {
    throw new CliError(`${question}: pass --yes to confirm when not on a terminal`, EXIT.usage);
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question}? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new CliError('cancelled', EXIT.usage);
  } finally {
    prompt.close();
  }
}
