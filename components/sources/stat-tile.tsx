import type { ReactNode } from 'react';

/** One headline number with its label and an optional detail line or chart. */
export function StatTile({
  label,
  value,
  detail,
  tone = 'default',
  testId,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: 'default' | 'good' | 'warn' | 'bad';
  testId?: string;
}) {
  const tones = { default: 'text-slate-900', good: 'text-emerald-700', warn: 'text-amber-700', bad: 'text-red-700' } as const;
  return (
    <div className="rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200" data-testid={testId}>
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className={`mt-1 text-2xl font-semibold tabular-nums ${tones[tone]}`}>{value}</dd>
      {detail ? <dd className="mt-1 min-h-5 text-xs text-slate-500">{detail}</dd> : null}
    </div>
  );
}
