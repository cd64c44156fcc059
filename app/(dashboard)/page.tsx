import type { Metadata } from 'next';
import { Card, PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/lib/auth/page-guard';
import { loadOverviewCounts } from '@/lib/overview/overview-counts';

export const metadata: Metadata = { title: 'Overview' };

const numberFormat = new Intl.NumberFormat('en');

export default async function OverviewPage() {
  await requireSignedIn();
  const { sources, destinations, events24h, failed } = await loadOverviewCounts();
  const stats = [
    { label: 'Active sources', value: sources },
    { label: 'Destinations', value: destinations },
    { label: 'Events, last 24 h', value: events24h },
    { label: 'Failed deliveries', value: failed },
  ];
  return (
    <>
      <PageHeader title="Overview" description="Volume and health of your webhooks." />
      <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {stats.map((stat) => (
          <div key={stat.label} className="rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200">
            <dt className="text-sm text-slate-500">{stat.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">{numberFormat.format(stat.value)}</dd>
          </div>
        ))}
      </dl>
      {sources === 0 ? (
        <div className="mt-8">
          <Card title="Get started" description="Three steps to your first forwarded webhook.">
            <ol className="list-decimal space-y-2 pl-5 text-sm text-slate-700">
              <li>Create a source for a provider (Stripe, GitHub, Shopify …) and paste its signing secret.</li>
              <li>Create a destination: the URL of the service that should receive the events.</li>
              <li>Route the source to the destination, then point the provider at the source&apos;s ingest URL.</li>
            </ol>
            <p className="mt-3 text-sm text-slate-500">
              Until the dashboard pages for these arrive, the JSON API at <code className="font-mono">/api/v1</code> does all three.
            </p>
          </Card>
        </div>
      ) : null}
    </>
  );
}
