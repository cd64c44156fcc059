/**
 * The chart as it looks before the browser has run any script: the same data, scales, grid and
 * value axis as the interactive Recharts chart that replaces it after hydration, drawn as plain
 * SVG on the server. Recharts 3 draws nothing on the server (it lays out in effects), so without
 * this the overview showed five grey placeholders until its scripts had loaded and run (about
 * 0.5 s of a 1.4 s page at a million events, docs/performance.md).
 *
 * The plot box has Recharts' own margins and axis sizes, so the swap does not move anything. The
 * drawing is stretched to the box's width (the server cannot know it); strokes keep their width
 * (`vector-effect`), and labels are HTML, so they are never stretched. The time axis has no labels
 * yet: its ticks are local round times, and only the browser knows the viewer's time zone.
 */
import { scaleLinear, scaleLog } from 'd3-scale';
import { area, curveMonotoneX, line } from 'd3-shape';
import type { ChartPoint, ChartSeries } from './time-series-chart';

/** Recharts' layout for our charts (time-series-chart.tsx): margins, value-axis widths, time-axis height. */
export const PLOT_MARGIN = { top: 8, right: 12, bottom: 0, left: 0 } as const;
export const X_AXIS_HEIGHT = 30;
export const yAxisWidth = (logScale: boolean) => (logScale ? 60 : 44);

export interface StaticChartProps {
  kind: 'area' | 'bar' | 'line';
  data: ChartPoint[];
  series: ChartSeries[];
  height: number;
  /** The value axis: its ticks (already chosen for the data) and whether it is logarithmic. */
  yTicks: number[];
  yDomain: [number, number];
  logScale: boolean;
  formatY: (value: number) => string;
  muted: boolean;
}

const GRID = '#e2e8f0';
const AXIS = '#cbd5e1';

export function StaticChart({ kind, data, series, height, yTicks, yDomain, logScale, formatY, muted }: StaticChartProps) {
  const plotHeight = Math.max(1, height - PLOT_MARGIN.top - PLOT_MARGIN.bottom - X_AXIS_HEIGHT);
  const y = (logScale ? scaleLog() : scaleLinear()).domain(yDomain).range([plotHeight, 0]).clamp(true);
  // Bars sit in one band per point; lines and areas run from the first point to the last.
  const width = kind === 'bar' ? data.length : Math.max(1, data.length - 1);
  const x = (i: number) => (kind === 'bar' ? i + 0.5 : i);
  const left = yAxisWidth(logScale) + PLOT_MARGIN.left;

  return (
    <div aria-hidden className="relative h-full w-full" style={{ opacity: muted ? 0.35 : 1 }} data-static-chart>
      <div className="absolute" style={{ top: PLOT_MARGIN.top, left, right: PLOT_MARGIN.right, height: plotHeight }}>
        <svg className="absolute inset-0 h-full w-full overflow-visible" viewBox={`0 0 ${width} ${plotHeight}`} preserveAspectRatio="none">
          {yTicks.map((tick) => (
            <line key={tick} x1={0} x2={width} y1={y(tick)} y2={y(tick)} stroke={GRID} vectorEffect="non-scaling-stroke" />
          ))}
          {kind === 'bar' ? <Bars data={data} series={series} y={y} /> : null}
          {kind === 'area' ? <Areas data={data} series={series} x={x} y={y} /> : null}
          {kind === 'line' ? <Lines data={data} series={series} x={x} y={y} /> : null}
          <line x1={0} x2={width} y1={plotHeight} y2={plotHeight} stroke={AXIS} vectorEffect="non-scaling-stroke" />
        </svg>
      </div>
      {yTicks.map((tick) => (
        <span
          key={tick}
          className="absolute -translate-y-1/2 pr-2 text-right text-[11px] leading-none text-slate-500 tabular-nums"
          style={{ top: PLOT_MARGIN.top + y(tick), left: PLOT_MARGIN.left, width: yAxisWidth(logScale) }}
        >
          {formatY(tick)}
        </span>
      ))}
    </div>
  );
}

type Scale = (value: number) => number;

/** Stacked per `stack`, in series order, as Recharts stacks them. */
function stacked(data: ChartPoint[], series: ChartSeries[]): { s: ChartSeries; low: number[]; high: number[] }[] {
  const tops = new Map<string, number[]>();
  return series.map((s) => {
    const base = s.stack ? (tops.get(s.stack) ?? data.map(() => 0)) : data.map(() => 0);
    const high = data.map((point, i) => base[i]! + (point[s.key] ?? 0));
    if (s.stack) tops.set(s.stack, high);
    return { s, low: base, high };
  });
}

function Bars({ data, series, y }: { data: ChartPoint[]; series: ChartSeries[]; y: Scale }) {
  const gap = data.length > 100 ? 0 : 0.08;
  return stacked(data, series).map(({ s, low, high }) => {
    // One path per series: a few hundred bars stay a few elements.
    const d = data
      .map((_, i) => {
        if (high[i]! <= low[i]!) return '';
        const top = y(high[i]!);
        const bottom = y(low[i]!);
        return `M${i + gap / 2},${bottom}V${top}H${i + 1 - gap / 2}V${bottom}Z`;
      })
      .join('');
    return <path key={s.key} d={d} fill={s.color} />;
  });
}

function Areas({ data, series, x, y }: { data: ChartPoint[]; series: ChartSeries[]; x: Scale; y: Scale }) {
  return stacked(data, series).map(({ s, low, high }) => {
    const indexes = data.map((_, i) => i);
    const fill = area<number>()
      .x((i) => x(i))
      .y0((i) => y(low[i]!))
      .y1((i) => y(high[i]!))
      .curve(curveMonotoneX)(indexes);
    const stroke = line<number>()
      .x((i) => x(i))
      .y((i) => y(high[i]!))
      .curve(curveMonotoneX)(indexes);
    return (
      <g key={s.key}>
        <path d={fill ?? ''} fill={s.color} fillOpacity={0.15} />
        <path d={stroke ?? ''} fill="none" stroke={s.color} strokeWidth={2} vectorEffect="non-scaling-stroke" />
      </g>
    );
  });
}

function Lines({ data, series, x, y }: { data: ChartPoint[]; series: ChartSeries[]; x: Scale; y: Scale }) {
  return series.map((s) => {
    // Missing points are skipped and their neighbours joined, as `connectNulls` does.
    const present = data.flatMap((point, i) => (point[s.key] === null || point[s.key] === undefined ? [] : [i]));
    const d = line<number>()
      .x((i) => x(i))
      .y((i) => y(data[i]![s.key]!))
      .curve(curveMonotoneX)(present);
    return <path key={s.key} d={d ?? ''} fill="none" stroke={s.color} strokeWidth={2} vectorEffect="non-scaling-stroke" />;
  });
}
