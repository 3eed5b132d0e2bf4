import Table from 'cli-table3';

/** How results are printed: tables for people, `--json` for scripts. */
export interface Output {
  json: boolean;
}

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

/** A list as a table (or, with `--json`, the API's own JSON). */
export function printRows<T>(output: Output, rows: T[], columns: Column<T>[], raw: unknown): void {
  if (output.json) return printJson(raw);
  if (rows.length === 0) {
    process.stdout.write('(none)\n');
    return;
  }
  const table = new Table({ head: columns.map((c) => c.header), style: { head: [], border: [] } });
  for (const row of rows) table.push(columns.map((c) => cell(c.value(row))));
  process.stdout.write(`${table.toString()}\n`);
}

/** One page of a list: its rows, and (for people) the `--cursor` that reads the next page. */
export function printPage<T>(
  output: Output,
  page: { items: T[]; nextCursor: string | null },
  columns: Column<T>[],
): void {
  printRows(output, page.items, columns, page);
  if (page.nextCursor && !output.json) note(`more: --cursor ${page.nextCursor}`);
}

/** One object as `field  value` lines (or its JSON); fields the reply lacks are left out. */
export function printRecord(output: Output, fields: [string, unknown][], raw: unknown): void {
  if (output.json) return printJson(raw);
  const present = fields.filter(([, value]) => value !== undefined);
  const width = Math.max(...present.map(([name]) => name.length));
  for (const [name, value] of present) {
    process.stdout.write(`${name.padEnd(width)}  ${cell(value)}\n`);
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value ?? null, null, 2)}\n`);
}

/** A line for people on stderr (progress, warnings): never mixed into what a script reads. */
export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Epoch seconds (the API's times) as an ISO time, minutes precision. */
export function time(seconds: unknown): string {
  if (typeof seconds !== 'number') return '';
  return new Date(seconds * 1000).toISOString().replace(/:\d\d\.\d{3}Z$/, 'Z');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
