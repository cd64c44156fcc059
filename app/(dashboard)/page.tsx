import type { Metadata } from 'next';
import Link from 'next/link';
import { OverviewCharts } from '@/components/charts/overview-charts';
import { OverviewControls } from '@/components/overview/overview-controls';
import { OverviewNavigation, PendingRegion } from '@/components/overview/overview-navigation';
import { FailingDestinationsPanel, OpenAlertsPanel, QueuePanel } from '@/components/overview/right-now';
import { PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { loadOverviewWithScopes } from '@/lib/overview/load-overview';
import { OVERVIEW_RANGES, overviewQueryFromSearchParams } from '@/lib/overview/overview.schema';

export const metadata: Metadata = { title: 'Overview' };

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireSignedIn();
  const query = overviewQueryFromSearchParams(await searchParams);
  const overview = await loadOverviewWithScopes(query);
  const range = OVERVIEW_RANGES[query.range];
  const rangeLabel = range.label.toLowerCase();
  const scopeName = query.sourceId
    ? (overview.scopes.sources.find((s) => s.id === query.sourceId)?.name ?? 'a deleted source')
    : query.destinationId
      ? (overview.scopes.destinations.find((d) => d.id === query.destinationId)?.name ?? 'a deleted destination')
      : null;

  return (
    <OverviewNavigation>
      <PageHeader
        title="Overview"
        description={
          <>
            {scopeName ? (
              <>
                Showing <span className="font-medium text-slate-700">{scopeName}</span>,{' '}
              </>
            ) : (
              'Volume and health of your webhooks, '
            )}
            {rangeLabel} in {range.pointLabel} points. Times are in your time zone.
          </>
        }
        actions={
          <OverviewControls
            range={query.range}
            sourceId={query.sourceId ?? null}
            destinationId={query.destinationId ?? null}
            sources={overview.scopes.sources}
            destinations={overview.scopes.destinations}
          />
        }
      />
      {overview.counts.sources === 0 ? <GetStarted /> : null}
      <PendingRegion>
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
          <QueuePanel queue={overview.queue} scoped={Boolean(scopeName)} />
          <FailingDestinationsPanel destinations={overview.failingDestinations} rangeLabel={rangeLabel} note={query.sourceId ? 'All destinations' : null} />
          <OpenAlertsPanel alerts={overview.openAlerts} note={query.sourceId ? 'All destinations' : null} />
        </div>
        <div className="mt-4">
          <OverviewCharts
            points={overview.points}
            totals={overview.totals}
            bucketMs={overview.bucketMs}
            rangeLabel={rangeLabel}
            bucketLabel={range.bucketLabel}
            scopeNote={{ ingest: query.destinationId ? 'All sources' : null, delivery: query.sourceId ? 'All destinations' : null }}
            longestRange={query.range === '30d'}
            filtered={Boolean(scopeName)}
          />
        </div>
        <p className="mt-4 text-xs text-slate-500">
          {overview.counts.activeSources} of {overview.counts.sources} {overview.counts.sources === 1 ? 'source' : 'sources'} active ·{' '}
          {overview.counts.activeDestinations} of {overview.counts.destinations} {overview.counts.destinations === 1 ? 'destination' : 'destinations'} in
          service · charts read per-minute counters, so the newest point is still filling up.
        </p>
      </PendingRegion>
    </OverviewNavigation>
  );
}

function GetStarted() {
  const link = 'font-medium text-indigo-700 hover:underline';
  return (
    <section className="mb-6 rounded-lg bg-indigo-50 px-5 py-4 ring-1 ring-inset ring-indigo-200" aria-labelledby="get-started-title">
      <h2 id="get-started-title" className="text-base font-semibold text-indigo-950">
        Get started: three steps to your first forwarded webhook
      </h2>
      <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-indigo-950">
        <li>
          <Link href="/sources" className={link}>
            Create a source
          </Link>{' '}
          for a provider (Stripe, GitHub, Shopify …) and paste its signing secret.
        </li>
        <li>
          <Link href="/destinations" className={link}>
            Create a destination
          </Link>
          : the URL of the service that should receive the events.
        </li>
        <li>Route the source to the destination, then point the provider at the source&apos;s ingest URL. Events show up here within a minute.</li>
      </ol>
    </section>
  );
}
