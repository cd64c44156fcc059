import type { Metadata } from 'next';
import Link from 'next/link';
import { SilenceBadge } from '@/components/alerts/silence-badge';
import { SourceStatusBadge } from '@/components/sources/badges';
import { IngestUrl } from '@/components/sources/ingest-url';
import { plural } from '@/components/events/format';
import { Sparkline } from '@/components/sources/sparkline';
import { Badge, Card, PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TBody, THead, Table, Td, Th } from '@/components/ui/table';
import { requireSignedIn } from '@/app/_server/page-guard';
import { formatSeconds } from '@/lib/alerts/durations';
import { hasRole } from '@/lib/auth/roles';
import { listSources } from '@/lib/sources/manage-sources';
import { emptySourceStats, loadSourceStats } from '@/lib/sources/source-stats';
import { requestBaseUrl } from './request-base-url';

export const metadata: Metadata = { title: 'Sources' };

const count = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

function NewSourceLink() {
  return (
    <Link
      href="/sources/new"
      className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <span aria-hidden="true">+</span> New source
    </Link>
  );
}

function rateTone(rate: number | null): string {
  if (rate === null || rate === 0) return 'text-slate-500';
  if (rate >= 0.05) return 'font-semibold text-red-700';
  if (rate >= 0.01) return 'text-amber-700';
  return 'text-slate-700';
}

export default async function SourcesPage() {
  const principal = await requireSignedIn();
  const isAdmin = hasRole(principal.role, 'ADMIN');
  const baseUrl = await requestBaseUrl();
  const [sources, stats] = await Promise.all([listSources(baseUrl), loadSourceStats()]);
  const totals = [...stats.values()].reduce((sum, entry) => ({ received: sum.received + entry.received, rejected: sum.rejected + entry.rejected }), {
    received: 0,
    rejected: 0,
  });

  return (
    <>
      <PageHeader
        title="Sources"
        description="Where providers send webhooks. Each has its own ingest URL, verification and secrets."
        actions={isAdmin && sources.length > 0 ? <NewSourceLink /> : null}
      />
      {sources.length === 0 ? (
        <Card>
          <EmptyState
            icon="inbox"
            title="No sources yet"
            description="Create a source for each provider that sends you webhooks (Stripe, GitHub, Shopify, or any HMAC or token sender). You get an ingest URL to paste into the provider’s webhook settings."
            action={isAdmin ? <NewSourceLink /> : <span className="text-sm text-slate-500">An admin can create the first source.</span>}
          />
        </Card>
      ) : (
        <div className="space-y-4">
          <p className="text-sm text-slate-600" data-testid="sources-summary">
            {count.format(sources.length)} {sources.length === 1 ? 'source' : 'sources'} · {count.format(totals.received)} requests in the last 24 h
            {totals.received > 0 ? ` · ${percent.format(totals.rejected / totals.received)} rejected` : ''}
          </p>
          <Card>
            <Table bleed caption="Sources">
              <THead>
                <Th>Source</Th>
                <Th>Provider</Th>
                <Th>Status</Th>
                <Th>Ingest URL</Th>
                <Th align="right">Last 24 h</Th>
                <Th align="right">Rejected</Th>
              </THead>
              <TBody>
                {sources.map((source) => {
                  const entry = stats.get(source.id) ?? emptySourceStats();
                  const activeSecrets = source.secrets.filter((secret) => secret.status === 'active' || secret.status === 'expiring').length;
                  return (
                    <tr key={source.id} data-testid={`source-row-${source.slug}`} className="hover:bg-slate-50">
                      <Td>
                        <Link href={`/sources/${source.id}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                          {source.name}
                        </Link>
                        <div className="font-mono text-xs text-slate-500">{source.slug}</div>
                      </Td>
                      <Td className="whitespace-nowrap">
                        <div className="text-slate-800">{source.providerLabel}</div>
                        {source.verifies && activeSecrets === 0 ? (
                          <span className="text-xs text-amber-700">No active secret</span>
                        ) : !source.verifies ? (
                          <span className="text-xs text-amber-700">Unverified</span>
                        ) : (
                          <span className="text-xs text-slate-500">
                            {activeSecrets} active {activeSecrets === 1 ? 'secret' : 'secrets'}
                          </span>
                        )}
                      </Td>
                      <Td>
                        <div className="flex flex-col items-start gap-1">
                          <SourceStatusBadge status={source.status} />
                          {source.silence?.silent ? (
                            <SilenceBadge silentSince={source.silence.silentSince!} expectedEvery={source.silence.expectedEvery} />
                          ) : source.silence ? (
                            <span className="text-xs text-slate-500">Expected every {formatSeconds(source.silence.expectedEvery)}</span>
                          ) : null}
                        </div>
                      </Td>
                      <Td className="max-w-[15rem] xl:max-w-[24rem]">
                        <IngestUrl url={source.ingestUrl} compact />
                      </Td>
                      <Td align="right">
                        <div className="flex items-center justify-end gap-3">
                          <span className="hidden xl:block">
                            <Sparkline
                              values={entry.hourly}
                              label={`${plural(entry.received, 'request')} in the last 24 hours, by hour`}
                              width={72}
                              height={20}
                            />
                          </span>
                          <span className="min-w-[4ch] font-medium text-slate-900">{count.format(entry.received)}</span>
                        </div>
                      </Td>
                      <Td align="right" className={rateTone(entry.rejectionRate)}>
                        {entry.rejectionRate === null ? '–' : percent.format(entry.rejectionRate)}
                        {entry.rejected > 0 ? <div className="text-xs font-normal text-slate-500">{count.format(entry.rejected)} req.</div> : null}
                      </Td>
                    </tr>
                  );
                })}
              </TBody>
            </Table>
          </Card>
          {!isAdmin ? (
            <p className="text-xs text-slate-500">
              <Badge>{principal.role}</Badge> You can see every source; secret values stay hidden. Admins create and change sources.
            </p>
          ) : null}
        </div>
      )}
    </>
  );
}
