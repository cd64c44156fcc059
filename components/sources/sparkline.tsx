/**
 * A tiny bar chart of hourly counts (oldest first), server-rendered as SVG so it costs nothing
 * on the client and never shifts the layout. The title and the screen-reader text give the total.
 */
export function Sparkline({
  values,
  highlight,
  label,
  width = 96,
  height = 24,
}: {
  values: readonly number[];
  /** Part of each bar drawn in red (e.g. failures). */
  highlight?: readonly number[];
  label: string;
  width?: number;
  height?: number;
}) {
  const max = Math.max(1, ...values);
  const gap = 1;
  const barWidth = Math.max(1, (width - gap * (values.length - 1)) / Math.max(1, values.length));
  return (
    <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="block shrink-0">
      <title>{label}</title>
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} className="stroke-slate-200" strokeWidth={1} />
      {values.map((value, index) => {
        if (value <= 0) return null;
        const barHeight = Math.max(1.5, (value / max) * (height - 2));
        const x = index * (barWidth + gap);
        const bad = Math.min(value, highlight?.[index] ?? 0);
        const badHeight = bad > 0 ? Math.max(1.5, (bad / value) * barHeight) : 0;
        return (
          <g key={index}>
            <rect x={x} y={height - barHeight} width={barWidth} height={barHeight - badHeight} rx={0.5} className="fill-indigo-400" />
            {badHeight > 0 ? <rect x={x} y={height - badHeight} width={barWidth} height={badHeight} rx={0.5} className="fill-red-400" /> : null}
          </g>
        );
      })}
    </svg>
  );
}
