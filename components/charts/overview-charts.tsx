'use client';

import { useMemo } from 'react';
import type { OverviewPoint, OverviewTotals } from '@/lib/overview/overview-series';
import { formatCount, formatLatency, formatPercent } from './format';
import { ChartLegend, type ChartPoint, type ChartSeries, TimeSeriesChart } from './time-series-chart';

const COLORS = {
  received: '#6366f1', // indigo-500
  accepted: '#10b981', // emerald-500
  rejected: '#ef4444', // red-500
  duplicates: '#94a3b8', // slate-400
  succeeded: '#10b981',
  failed: '#ef4444',
  deliveryErrors: '#ef4444',
  ingestRejections: '#f59e0b', // amber-500
  p50: '#6366f1',
  p95: '#d946ef', // fuchsia-500
} as const;

const SERIES = {
  received: [{ key: 'received', label: 'Received', color: COLORS.received }],
  intake: [
    { key: 'accepted', label: 'Accepted', color: COLORS.accepted, stack: 'intake' },
    { key: 'duplicates', label: 'Duplicates', color: COLORS.duplicates, stack: 'intake' },
    { key: 'rejected', label: 'Rejected', color: COLORS.rejected, stack: 'intake' },
  ],
  deliveries: [
    { key: 'succeeded', label: 'Succeeded', color: COLORS.succeeded, stack: 'attempts' },
    { key: 'failed', label: 'Failed', color: COLORS.failed, stack: 'attempts' },
  ],
  errorRate: [
    { key: 'errorRate', label: 'Failed deliveries', color: COLORS.deliveryErrors },
    { key: 'rejectionRate', label: 'Rejected requests', color: COLORS.ingestRejections },
  ],
  latency: [
    { key: 'p50Ms', label: 'p50', color: COLORS.p50 },
    { key: 'p95Ms', label: 'p95', color: COLORS.p95 },
  ],
} satisfies Record<string, ChartSeries[]>;

export interface OverviewChartsProps {
  points: OverviewPoint[];
  totals: OverviewTotals;
  bucketMs: number;
  /** "last 24 hours", for summaries. */
  rangeLabel: string;
  /** "15 minutes": the width of one point. */
  bucketLabel: string;
  /** Which charts a filter does not narrow (counters are per source or per destination). */
  scopeNote: { ingest: string | null; delivery: string | null };
  /** The longest range is showing: do not suggest a longer one. */
  longestRange: boolean;
  /** A source or destination filter is on. */
  filtered: boolean;
}

const CHART_HEIGHT = 200;

export function OverviewCharts({ points, totals, bucketMs, rangeLabel, bucketLabel, scopeNote, longestRange, filtered }: OverviewChartsProps) {
  const data = useMemo<ChartPoint[]>(
    () =>
      points.map((p) => ({
        t: Date.parse(p.time),
        received: p.received,
        accepted: p.accepted,
        rejected: p.rejected,
        duplicates: p.duplicates,
        succeeded: p.succeeded,
        failed: p.failed,
        errorRate: p.errorRate,
        rejectionRate: p.received > 0 ? (p.rejected / p.received) * 100 : null,
        p50Ms: p.p50Ms,
        p95Ms: p.p95Ms,
      })),
    [points],
  );
  const peak = Math.max(0, ...points.map((p) => p.received));
  const noEvents = {
    title: `No events in the ${rangeLabel}`,
    hint: filtered
      ? `Nothing arrived for this filter${longestRange ? '' : '; try a longer range'}.`
      : `Point a provider at a source’s ingest URL${longestRange ? '' : ', or pick a longer range'}.`,
  };
  const noDeliveries = {
    title: `No delivery attempts in the ${rangeLabel}`,
    hint: 'Route a source to a destination: each event it accepts is forwarded and counted here.',
  };
  const sync = 'overview';

  return (
    <div className="grid gap-4 xl:grid-cols-2">
      <div className="xl:col-span-2">
        <ChartCard
          title="Events received"
          figure={formatCount(totals.received, 'en')}
          detail={totals.received > 0 ? `in the ${rangeLabel} · at most ${formatCount(peak, 'en')} per ${bucketLabel}` : `in the ${rangeLabel}`}
          note={scopeNote.ingest}
          legend={SERIES.received}
          testId="chart-received"
        >
          <TimeSeriesChart
            kind="area"
            data={data}
            series={SERIES.received}
            unit="count"
            bucketMs={bucketMs}
            height={CHART_HEIGHT + 20}
            summary={`Events received in the ${rangeLabel}: ${formatCount(totals.received, 'en')} in total, at most ${formatCount(peak, 'en')} per ${bucketLabel}.`}
            empty={noEvents}
            syncId={sync}
          />
        </ChartCard>
      </div>
      <ChartCard
        title="Accepted vs rejected"
        figure={formatPercent(totals.rejectionRate, 'en')}
        detail="rejected"
        note={scopeNote.ingest}
        legend={SERIES.intake}
        testId="chart-intake"
      >
        <TimeSeriesChart
          kind="bar"
          data={data}
          series={SERIES.intake}
          unit="count"
          bucketMs={bucketMs}
          height={CHART_HEIGHT}
          summary={`${formatCount(totals.accepted, 'en')} accepted, ${formatCount(totals.duplicates, 'en')} duplicates and ${formatCount(totals.rejected, 'en')} rejected in the ${rangeLabel}.`}
          empty={noEvents}
          syncId={sync}
        />
      </ChartCard>
      <ChartCard
        title="Delivery attempts"
        figure={formatCount(totals.attempts, 'en')}
        detail={`${formatCount(totals.exhausted, 'en')} gave up`}
        note={scopeNote.delivery}
        legend={SERIES.deliveries}
        testId="chart-deliveries"
      >
        <TimeSeriesChart
          kind="bar"
          data={data}
          series={SERIES.deliveries}
          unit="count"
          bucketMs={bucketMs}
          height={CHART_HEIGHT}
          summary={`${formatCount(totals.succeeded, 'en')} delivery attempts succeeded and ${formatCount(totals.failed, 'en')} failed in the ${rangeLabel}; ${formatCount(totals.exhausted, 'en')} deliveries gave up.`}
          empty={noDeliveries}
          syncId={sync}
        />
      </ChartCard>
      <ChartCard
        title="Error rate"
        figure={formatPercent(totals.errorRate, 'en')}
        detail="of attempts failed"
        note={scopeNote.delivery ?? scopeNote.ingest}
        legend={SERIES.errorRate}
        testId="chart-error-rate"
      >
        <TimeSeriesChart
          kind="line"
          data={data}
          series={SERIES.errorRate}
          unit="percent"
          bucketMs={bucketMs}
          height={CHART_HEIGHT}
          summary={`${formatPercent(totals.errorRate, 'en')} of delivery attempts failed and ${formatPercent(totals.rejectionRate, 'en')} of requests were rejected in the ${rangeLabel}.`}
          empty={{ title: `No traffic in the ${rangeLabel}`, hint: 'Error rates appear once requests arrive and deliveries are attempted.' }}
          syncId={sync}
        />
      </ChartCard>
      <ChartCard
        title="Delivery latency"
        figure={formatLatency(totals.p95Ms, 'en')}
        detail="p95"
        note={scopeNote.delivery}
        legend={SERIES.latency}
        testId="chart-latency"
      >
        <TimeSeriesChart
          kind="line"
          data={data}
          series={SERIES.latency}
          unit="ms"
          bucketMs={bucketMs}
          height={CHART_HEIGHT}
          summary={`Delivery latency in the ${rangeLabel}: p50 ${formatLatency(totals.p50Ms, 'en')}, p95 ${formatLatency(totals.p95Ms, 'en')}.`}
          empty={noDeliveries}
          syncId={sync}
        />
      </ChartCard>
    </div>
  );
}

function ChartCard({
  title,
  figure,
  detail,
  note,
  legend,
  testId,
  children,
}: {
  title: string;
  figure: string;
  detail: string;
  note: string | null;
  legend: ChartSeries[];
  testId: string;
  children: React.ReactNode;
}) {
  return (
    <section className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <header className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 px-5 pt-4">
        <div className="min-w-0">
          <h2 id={`${testId}-title`} className="text-sm font-medium text-slate-600">
            {title}
            {note ? (
              <span
                className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-500"
                title="Counters are kept per source and per destination, so this filter does not narrow this chart."
              >
                {note}
              </span>
            ) : null}
          </h2>
          <p className="mt-1 flex items-baseline gap-2">
            <span className="text-2xl font-semibold tabular-nums text-slate-900">{figure}</span>
            <span className="text-sm text-slate-500">{detail}</span>
          </p>
        </div>
        <ChartLegend series={legend} />
      </header>
      <div className="px-2 pb-3 pt-2">{children}</div>
    </section>
  );
}
