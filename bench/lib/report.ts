/** The printed table, and bench/results.json (numbers only) + bench/results.meta.json. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { figureValue, type Figures, type Section, type TableRow } from './section';

function format(value: number | undefined, unit: string): string {
  if (value === undefined) return '–';
  const digits = unit === 'ms' ? 2 : Math.abs(value) >= 100 || Number.isInteger(value) ? 0 : 1;
  const text = value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

function ratio(value: number | undefined, baseline: number | undefined): string {
  if (value === undefined || baseline === undefined || baseline === 0) return '–';
  return `${(value / baseline).toFixed(2)}×`;
}

/** Rows the sections declare, then a plain row for every other figure no row mentions. */
function tableRows(sections: Section[], figures: Figures): TableRow[] {
  const rows = sections.flatMap((section) => section.rows ?? []);
  const mentioned = new Set(rows.flatMap((row) => [row.figure, ...(row.baselines ?? []).map((b) => b.figure)]));
  for (const [group, values] of Object.entries(figures)) {
    for (const name of Object.keys(values)) {
      const key = `${group}.${name}`;
      if (!mentioned.has(key)) rows.push({ figure: key, label: key, unit: name.endsWith('_ms') ? 'ms' : name.endsWith('_mb') ? 'MB' : '' });
    }
  }
  return rows;
}

export function renderTable(sections: Section[], figures: Figures): string {
  const header = ['figure', 'value', 'baseline', 'baseline value', 'ratio'];
  const lines: string[][] = [];
  for (const row of tableRows(sections, figures)) {
    const value = figureValue(figures, row.figure);
    if (value === undefined) continue;
    const baselines = row.baselines ?? [];
    const name = row.label === row.figure ? row.figure : `${row.label} (${row.figure})`;
    if (baselines.length === 0) lines.push([name, format(value, row.unit), '', '', '']);
    baselines.forEach((baseline, index) => {
      const base = figureValue(figures, baseline.figure);
      lines.push([
        index === 0 ? name : '',
        index === 0 ? format(value, row.unit) : '',
        `${baseline.label} (${baseline.figure})`,
        format(base, row.unit),
        ratio(value, base),
      ]);
    });
  }
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const numeric = new Set([1, 3, 4]);
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [render(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(render)].join('\n');
}

export function writeResults(root: string, figures: Figures, meta: Record<string, unknown>): { results: string; meta: string } {
  const results = path.join(root, 'bench', 'results.json');
  const metaFile = path.join(root, 'bench', 'results.meta.json');
  // results.json holds numbers only: drop anything else a section may have produced by mistake.
  const clean: Figures = {};
  for (const [group, values] of Object.entries(figures)) {
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'number' && Number.isFinite(value)) (clean[group] ??= {})[name] = value;
    }
  }
  writeFileSync(results, `${JSON.stringify(clean, null, 2)}\n`);
  writeFileSync(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
  return { results, meta: metaFile };
}
