'use client';

import { useMemo, useSyncExternalStore } from 'react';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatCompact, formatLatency, formatPercent, formatValue, type ValueUnit } from './format';
import { PLOT_MARGIN, StaticChart, X_AXIS_HEIGHT, yAxisWidth } from './static-chart';

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  /** Series with the same stack id are stacked (bars and areas). */
  stack?: string;
}

export interface ChartPoint {
  /** Bucket start, epoch ms. */
  t: number;
  [key: string]: number | null;
}

export interface TimeSeriesChartProps {
  kind: 'area' | 'bar' | 'line';
  data: ChartPoint[];
  series: ChartSeries[];
  unit: ValueUnit;
  bucketMs: number;
  /** Fixed height in px: the box is reserved before the chart draws, so nothing moves. */
  height: number;
  /** What a screen reader hears instead of the drawing. */
  summary: string;
  /** Shown over the (flat) chart when every value is zero or missing. */
  empty: { title: string; hint: string };
  syncId?: string;
}

const noopSubscribe = () => () => undefined;

/** False during the server render and hydration, true after: charts measure the browser's box and use its time zone. */
function useIsClient(): boolean {
  return useSyncExternalStore(
    noopSubscribe,
    () => true,
    () => false,
  );
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Tick spacing per point width: 10 minutes for an hour, 4 hours for a day, 1 day for a week, 5 days for 30. */
function tickSpacing(bucketMs: number): number {
  if (bucketMs <= MINUTE) return 10 * MINUTE;
  if (bucketMs <= 15 * MINUTE) return 4 * HOUR;
  if (bucketMs <= HOUR) return DAY;
  return 5 * DAY;
}

/** Milliseconds since the epoch on the viewer's wall clock, so ticks fall on local round times. */
const wallClock = (t: number) => t - new Date(t).getTimezoneOffset() * MINUTE;

/** The first point after each local round time (10:00, 14:00, midnight …). */
function localTicks(data: ChartPoint[], bucketMs: number): number[] {
  const spacing = tickSpacing(bucketMs);
  const ticks: number[] = [];
  for (let i = 1; i < data.length; i++) {
    if (Math.floor(wallClock(data[i]!.t) / spacing) !== Math.floor(wallClock(data[i - 1]!.t) / spacing)) ticks.push(data[i]!.t);
  }
  return ticks;
}

function timeFormats(bucketMs: number) {
  const withDay = bucketMs >= HOUR;
  return {
    tick: new Intl.DateTimeFormat(undefined, withDay ? { month: 'short', day: 'numeric' } : { hour: 'numeric', minute: '2-digit' }),
    tooltip: new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }),
    end: new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }),
  };
}

/** 0 and four round steps covering `max` (steps of 1, 2, 2.5 or 5 × 10ⁿ); percentages stop at 100. */
function niceTicks(max: number, unit: ValueUnit): number[] {
  if (!(max > 0)) return unit === 'percent' ? [0, 25, 50, 75, 100] : [0, 1, 2, 3, 4];
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude;
  const wholeStep = unit === 'count' ? Math.max(1, Math.ceil(step)) : step;
  const top = Math.ceil(max / wholeStep) * wholeStep;
  const ticks: number[] = [];
  for (let value = 0; value <= top + wholeStep / 2; value += wholeStep) ticks.push(Number(value.toPrecision(12)));
  return unit === 'percent' ? ticks.filter((tick) => tick <= 100) : ticks;
}

const LATENCY_TICKS = [10, 50, 250, 1000, 5000, 30000, 60000];

/** The value axis both drawings use: latency on a log scale from 10 ms, the rest from 0. */
function valueAxis(unit: ValueUnit, latencyMax: number, valueTicks: number[]) {
  if (unit === 'ms') {
    const top = Math.max(50, latencyMax);
    return {
      logScale: true,
      yDomain: [10, top] as [number, number],
      yTicks: LATENCY_TICKS.filter((tick) => tick <= top),
      formatY: (value: number) => formatLatency(value, undefined, false),
    };
  }
  return {
    logScale: false,
    yDomain: [0, valueTicks[valueTicks.length - 1] ?? 4] as [number, number],
    yTicks: valueTicks,
    formatY: (value: number) => (unit === 'percent' ? formatPercent(value) : formatCompact(value)),
  };
}

export function TimeSeriesChart({ kind, data, series, unit, bucketMs, height, summary, empty, syncId }: TimeSeriesChartProps) {
  const isClient = useIsClient();
  const isEmpty = useMemo(() => data.every((point) => series.every((s) => !point[s.key])), [data, series]);
  const formats = useMemo(() => (isClient ? timeFormats(bucketMs) : null), [isClient, bucketMs]);
  // Local round times depend on the viewer's time zone: computed in the browser only.
  const ticks = useMemo(() => (isClient ? localTicks(data, bucketMs) : []), [isClient, data, bucketMs]);
  const { latencyMax, valueTicks } = useMemo(() => {
    // Stacked series add up; others stand alone.
    const max = Math.max(
      0,
      ...data.map((point) => {
        const stacks = new Map<string, number>();
        let top = 0;
        for (const s of series) {
          const value = point[s.key] ?? 0;
          if (s.stack) stacks.set(s.stack, (stacks.get(s.stack) ?? 0) + value);
          else top = Math.max(top, value);
        }
        return Math.max(top, ...stacks.values());
      }),
    );
    return { latencyMax: unit === 'ms' ? (LATENCY_TICKS.find((tick) => tick > max) ?? 60_000) : 0, valueTicks: niceTicks(max, unit) };
  }, [data, series, unit]);

  return (
    <figure className="relative m-0" style={{ height }}>
      <figcaption className="sr-only">{summary}</figcaption>
      {isClient && formats ? (
        <Chart
          kind={kind}
          data={data}
          series={series}
          unit={unit}
          height={height}
          ticks={ticks}
          latencyMax={latencyMax}
          valueTicks={valueTicks}
          syncId={syncId}
          formatTick={(t) => formats.tick.format(new Date(t))}
          formatLabel={(t) => `${formats.tooltip.format(new Date(t))} – ${formats.end.format(new Date(t + bucketMs))}`}
          muted={isEmpty}
        />
      ) : (
        // Before hydration: the same chart as plain server-drawn SVG (static-chart.tsx), not a placeholder.
        <StaticChart kind={kind} data={data} series={series} height={height} muted={isEmpty} {...valueAxis(unit, latencyMax, valueTicks)} />
      )}
      {isEmpty ? (
        <div className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center px-6 pb-6 text-center">
          <p className="text-sm font-medium text-slate-700">{empty.title}</p>
          <p className="mt-1 max-w-sm text-xs text-slate-500">{empty.hint}</p>
        </div>
      ) : null}
    </figure>
  );
}

function Chart({
  kind,
  data,
  series,
  unit,
  height,
  ticks,
  latencyMax,
  valueTicks,
  syncId,
  formatTick,
  formatLabel,
  muted,
}: Pick<TimeSeriesChartProps, 'kind' | 'data' | 'series' | 'unit' | 'height' | 'syncId'> & {
  ticks: number[];
  latencyMax: number;
  valueTicks: number[];
  formatTick: (t: number) => string;
  formatLabel: (t: number) => string;
  muted: boolean;
}) {
  const axis = valueAxis(unit, latencyMax, valueTicks);
  const common = {
    data,
    responsive: true,
    style: { width: '100%', height, opacity: muted ? 0.35 : 1 },
    margin: PLOT_MARGIN,
    syncId,
  };
  const axes = [
    <CartesianGrid key="grid" vertical={false} stroke="#e2e8f0" />,
    <XAxis
      key="x"
      dataKey="t"
      ticks={ticks}
      interval="preserveStartEnd"
      tickFormatter={(value: number) => formatTick(value)}
      tick={{ fontSize: 11, fill: '#64748b' }}
      tickLine={false}
      axisLine={{ stroke: '#cbd5e1' }}
      height={X_AXIS_HEIGHT}
      minTickGap={12}
    />,
    <YAxis
      key="y"
      scale={axis.logScale ? 'log' : 'auto'}
      domain={axis.yDomain}
      allowDataOverflow={axis.logScale}
      ticks={axis.yTicks}
      interval={0}
      tickFormatter={axis.formatY}
      tick={{ fontSize: 11, fill: '#64748b' }}
      tickLine={false}
      axisLine={false}
      width={yAxisWidth(axis.logScale)}
    />,
    <Tooltip
      key="tooltip"
      isAnimationActive={false}
      cursor={kind === 'bar' ? { fill: '#f1f5f9' } : { stroke: '#94a3b8', strokeDasharray: '3 3' }}
      content={(props) => {
        if (!props.active || props.label === undefined) return null;
        const point = data.find((p) => p.t === Number(props.label));
        if (!point) return null;
        return (
          <TooltipBox
            title={formatLabel(point.t)}
            rows={series.map((s) => ({ label: s.label, color: s.color, value: formatValue(point[s.key] ?? null, unit) }))}
          />
        );
      }}
    />,
  ];

  if (kind === 'bar') {
    return (
      <BarChart {...common} barCategoryGap={data.length > 100 ? 0 : 1}>
        {axes}
        {series.map((s) => (
          <Bar key={s.key} dataKey={s.key} name={s.label} stackId={s.stack} fill={s.color} isAnimationActive={false} />
        ))}
      </BarChart>
    );
  }
  if (kind === 'area') {
    return (
      <AreaChart {...common}>
        {axes}
        {series.map((s) => (
          <Area
            key={s.key}
            type="monotoneX"
            dataKey={s.key}
            name={s.label}
            stackId={s.stack}
            stroke={s.color}
            fill={s.color}
            fillOpacity={0.15}
            strokeWidth={2}
            isAnimationActive={false}
          />
        ))}
      </AreaChart>
    );
  }
  return (
    <LineChart {...common}>
      {axes}
      {series.map((s) => (
        <Line
          key={s.key}
          type="monotoneX"
          dataKey={s.key}
          name={s.label}
          stroke={s.color}
          strokeWidth={2}
          dot={(props: { cx?: number; cy?: number; index?: number; value?: unknown }) => {
            // A point with no neighbours draws no line: show it as a dot so it is not lost.
            const i = props.index ?? -1;
            const lone = (data[i - 1]?.[s.key] ?? null) === null && (data[i + 1]?.[s.key] ?? null) === null;
            if (!lone || props.value === null || props.value === undefined || props.cx === undefined || props.cy === undefined) {
              return <g key={`${s.key}-${i}`} />;
            }
            return (
              <circle key={`${s.key}-${i}`} cx={props.cx} cy={props.cy} r={3.5} fill={s.color} stroke="#fff" strokeWidth={1} className="recharts-lone-dot" />
            );
          }}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}

function TooltipBox({ title, rows }: { title: string; rows: { label: string; color: string; value: string }[] }) {
  return (
    <div className="rounded-md bg-white px-3 py-2 text-xs shadow-lg ring-1 ring-slate-200">
      <p className="mb-1 font-medium text-slate-900">{title}</p>
      <dl className="space-y-0.5">
        {rows.map((row) => (
          <div key={row.label} className="flex items-center justify-between gap-4">
            <dt className="flex items-center gap-1.5 text-slate-600">
              <span aria-hidden className="inline-block size-2 rounded-sm" style={{ backgroundColor: row.color }} />
              {row.label}
            </dt>
            <dd className="tabular-nums font-medium text-slate-900">{row.value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function ChartLegend({ series }: { series: ChartSeries[] }) {
  return (
    <ul className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
      {series.map((s) => (
        <li key={s.key} className="flex items-center gap-1.5">
          <span aria-hidden className="inline-block size-2.5 rounded-sm" style={{ backgroundColor: s.color }} />
          {s.label}
        </li>
      ))}
    </ul>
  );
}
