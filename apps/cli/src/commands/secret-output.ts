import { note, printJson, printRecord, type Output } from '../output/output';

const WARNING = 'This secret is shown once: store it now, it cannot be shown again.';

/**
 * A reply carrying a new secret. On a terminal: its fields, the secret and a warning. When
 * stdout is a pipe or a file: the secret alone (so `keyward key issue … > key.txt` captures just
 * it), the warning on stderr. `--json`: the reply as the API gave it.
 */
export function printSecretOnce(
  output: Output,
  reply: unknown,
  secret: string | undefined,
  fields: [string, unknown][],
): void {
  if (output.json) return printJson(reply);
  if (secret === undefined) {
    // A retried request (same Idempotency-Key) is answered without the secret.
    printRecord(output, fields, reply);
    note('This request was answered before: the secret is not shown again.');
    return;
  }
  if (!process.stdout.isTTY) {
    process.stdout.write(`${secret}\n`);
    note(WARNING);
    return;
  }
  printRecord(output, [...fields, ['secret', secret]], reply);
  note(WARNING);
}
