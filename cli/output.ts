/**
 * Where the CLI writes: stdout carries the answer only (a table, or with --json exactly one JSON
 * document, the API's answer), so `hookyard … --json | jq` always parses; every message, warning,
 * progress line and error goes to stderr.
 */
export interface Output {
  json: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

export type Column<T> = [header: string, cell: (row: T) => unknown];

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\s+/g, ' ');
}

/** Columns padded to their widest cell; the last one is not padded. */
export function printTable<T>(rows: T[], columns: Column<T>[]): void {
  const cells = rows.map((row) => columns.map(([, cell]) => text(cell(row))));
  const widths = columns.map(([header], i) => Math.max(header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  printLine(line(columns.map(([header]) => header.toUpperCase())));
  for (const row of cells) printLine(line(row));
}

/** `key  value` lines, for one object. */
export function printFields(fields: [string, unknown][]): void {
  const width = Math.max(...fields.map(([name]) => name.length));
  for (const [name, value] of fields) printLine(`${name.padEnd(width)}  ${text(value)}`);
}
