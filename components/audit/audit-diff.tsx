/**
 * A compact diff of an audit entry's before and after JSON. Nested objects are flattened to dotted
 * paths (`retrySchedule`, `signingSecret.id`), changed fields are listed first and highlighted, and
 * unchanged ones fold away. Every value is rendered as text (React escapes it): audit values come
 * from users and must never be interpreted as HTML.
 */
const MAX_DEPTH = 3;
const MAX_VALUE_CHARS = 160;

type Flat = Map<string, string>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

function flatten(value: unknown, prefix = '', depth = 0, out: Flat = new Map()): Flat {
  if (isPlainObject(value) && depth < MAX_DEPTH && Object.keys(value).length > 0) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, depth + 1, out);
  } else if (prefix) {
    out.set(prefix, value === null ? 'null' : show(value));
  } else if (value !== null && value !== undefined) {
    out.set('(value)', show(value));
  }
  return out;
}

export interface DiffRow {
  path: string;
  before: string | null;
  after: string | null;
  kind: 'added' | 'removed' | 'changed' | 'same';
}

/** Rows for every path in either side; exported for tests and for the API's clients to mirror. */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  const rows = paths.map<DiffRow>((path) => {
    const was = a.has(path) ? a.get(path)! : null;
    const now = b.has(path) ? b.get(path)! : null;
    const kind = was === null ? 'added' : now === null ? 'removed' : was === now ? 'same' : 'changed';
    return { path, before: was, after: now, kind };
  });
  const order = { changed: 0, added: 1, removed: 2, same: 3 } as const;
  return rows.sort((x, y) => order[x.kind] - order[y.kind]);
}

function Value({ text, tone }: { text: string | null; tone: 'old' | 'new' | 'plain' }) {
  if (text === null) return <span className="text-slate-500">—</span>;
  const long = text.length > MAX_VALUE_CHARS;
  const shown = long ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
  const tones = {
    old: 'bg-red-50 text-red-800 line-through decoration-red-300',
    new: 'bg-emerald-50 text-emerald-900',
    plain: 'text-slate-600',
  } as const;
  return (
    <span className={`break-all rounded px-1 font-mono text-xs ${tones[tone]}`} title={long ? text : undefined}>
      {shown === '' ? '""' : shown}
    </span>
  );
}

const SHOWN_RECORD_FIELDS = 6;

export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffRows(before, after);
  if (rows.length === 0) return <p className="text-xs text-slate-500">No details recorded</p>;
  const onlyAfter = before === null || before === undefined;
  const onlyBefore = after === null || after === undefined;

  // A created or deleted record: its first meaningful fields, the rest (and every null) folded away.
  if (onlyAfter || onlyBefore) {
    const value = (row: DiffRow) => (onlyAfter ? row.after : row.before);
    const meaningful = rows.filter((row) => value(row) !== 'null' && value(row) !== '[]' && value(row) !== '{}' && value(row) !== '');
    const shown = meaningful.slice(0, SHOWN_RECORD_FIELDS);
    const folded = rows.filter((row) => !shown.includes(row));
    return (
      <div className="text-xs" data-testid="audit-diff">
        <p className="mb-0.5 text-slate-500">{onlyAfter ? 'Recorded' : 'Before it went'}</p>
        <FieldTable rows={shown} pick={value} tone="plain" caption={onlyAfter ? 'Recorded values' : 'Values before the change'} />
        {folded.length > 0 ? (
          <details className="mt-1">
            <summary className="cursor-pointer select-none text-slate-500 hover:text-slate-700">
              {folded.length} more {folded.length === 1 ? 'field' : 'fields'}
            </summary>
            <FieldTable rows={folded} pick={value} tone="plain" caption="More fields" />
          </details>
        ) : null}
      </div>
    );
  }

  const changed = rows.filter((row) => row.kind !== 'same');
  const same = rows.filter((row) => row.kind === 'same');
  return (
    <div className="text-xs" data-testid="audit-diff">
      {changed.length > 0 ? (
        <table className="w-full">
          <caption className="sr-only">Changed fields</caption>
          <tbody>
            {changed.map((row) => (
              <tr key={row.path} className="align-top">
                <th scope="row" className="w-40 max-w-40 break-all py-0.5 pr-3 text-left font-mono font-normal text-slate-700" title={row.path}>
                  {row.path}
                </th>
                <td className="py-0.5">
                  <span className="inline-flex flex-wrap items-baseline gap-1">
                    <Value text={row.before} tone="old" />
                    <span aria-hidden className="text-slate-500">
                      →
                    </span>
                    <span className="sr-only">changed to</span>
                    <Value text={row.after} tone="new" />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-slate-500">No field changed</p>
      )}
      {same.length > 0 ? (
        <details className="mt-1">
          <summary className="cursor-pointer select-none text-slate-500 hover:text-slate-700">
            {same.length} unchanged {same.length === 1 ? 'field' : 'fields'}
          </summary>
          <FieldTable rows={same} pick={(row) => row.after} tone="plain" caption="Unchanged fields" muted />
        </details>
      ) : null}
    </div>
  );
}

function FieldTable({
  rows,
  pick,
  tone,
  caption,
  muted = false,
}: {
  rows: DiffRow[];
  pick: (row: DiffRow) => string | null;
  tone: 'plain';
  caption: string;
  muted?: boolean;
}) {
  if (rows.length === 0) return null;
  return (
    <table className="w-full">
      <caption className="sr-only">{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.path} className="align-top">
            <th
              scope="row"
              className={`w-40 max-w-40 break-all py-0.5 pr-3 text-left font-mono font-normal ${muted ? 'text-slate-500' : 'text-slate-700'}`}
              title={row.path}
            >
              {row.path}
            </th>
            <td className="py-0.5">
              <Value text={pick(row)} tone={tone} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
