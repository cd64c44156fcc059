import type { Metadata } from 'next';
import Link from 'next/link';
import { CircuitBadge, DestinationStatusBadge, DestinationTypeBadge } from '@/components/destinations/badges';
import { isBroker, optionsSummary, typeOfUrl } from '@/components/destinations/destination-types';
import { plural } from '@/components/events/format';
import { Sparkline } from '@/components/sources/sparkline';
import { Badge, Card, PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TBody, THead, Table, Td, Th } from '@/components/ui/table';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { emptyDestinationHealth, formatLatencyBound, loadDestinationHealth } from '@/lib/destinations/destination-health-summary';
import { listDestinations, viewOptionsFor } from '@/lib/destinations/manage-destinations';
import { listRoutes } from '@/lib/routes/manage-routes';

export const metadata: Metadata = { title: 'Destinations' };

const count = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

function NewDestinationLink() {
  return (
    <Link
      href="/destinations/new"
      className="inline-flex items-center gap-2 rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <span aria-hidden="true">+</span> New destination
    </Link>
  );
}

function successTone(rate: number | null): string {
  if (rate === null) return 'text-slate-500';
  if (rate < 0.9) return 'font-semibold text-red-700';
  if (rate < 0.99) return 'text-amber-700';
  return 'text-emerald-700';
}

export default async function DestinationsPage() {
  const principal = await requireSignedIn();
  const isAdmin = hasRole(principal.role, 'ADMIN');
  const [destinations, health, routes] = await Promise.all([listDestinations(viewOptionsFor(principal)), loadDestinationHealth(), listRoutes()]);
  const routeCounts = new Map<string, number>();
  for (const route of routes) routeCounts.set(route.destinationId, (routeCounts.get(route.destinationId) ?? 0) + 1);

  return (
    <>
      <PageHeader
        title="Destinations"
        description="Your services that receive events: every forward is signed, retried and watched."
        actions={isAdmin && destinations.length > 0 ? <NewDestinationLink /> : null}
      />
      {destinations.length === 0 ? (
        <Card>
          <EmptyState
            icon="send"
            title="No destinations yet"
            description="A destination is the URL of a service that should receive events, such as an internal API or an agent. Create one, then route a source to it."
            action={isAdmin ? <NewDestinationLink /> : <span className="text-sm text-slate-500">An admin can create the first destination.</span>}
          />
        </Card>
      ) : (
        <Card>
          <Table bleed caption="Destinations">
            <THead>
              <Th>Destination</Th>
              <Th>Status</Th>
              <Th align="right">Success, 24 h</Th>
              <Th align="right">p95 latency</Th>
              <Th align="right">Backlog</Th>
              <Th align="right">Routes</Th>
            </THead>
            <TBody>
              {destinations.map((destination) => {
                const entry = health.get(destination.id) ?? emptyDestinationHealth();
                const routesHere = routeCounts.get(destination.id) ?? 0;
                const type = typeOfUrl(destination.url);
                const summary = optionsSummary(type, destination.options);
                return (
                  <tr key={destination.id} className="hover:bg-slate-50" data-testid={`destination-row-${destination.name}`}>
                    <Td className="max-w-[22rem]">
                      <div className="flex min-w-0 items-center gap-2">
                        <Link href={`/destinations/${destination.id}`} className="truncate font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                          {destination.name}
                        </Link>
                        {isBroker(type) ? <DestinationTypeBadge type={type} /> : null}
                      </div>
                      <div className="truncate font-mono text-xs text-slate-500" title={destination.url}>
                        {destination.url}
                      </div>
                      {summary ? (
                        <div className="truncate font-mono text-xs text-slate-500" title={summary}>
                          {summary}
                        </div>
                      ) : null}
                    </Td>
                    <Td>
                      <div className="flex flex-col items-start gap-1">
                        <DestinationStatusBadge status={destination.status} />
                        {destination.circuitState !== 'closed' ? <CircuitBadge state={destination.circuitState} /> : null}
                      </div>
                    </Td>
                    <Td align="right">
                      <div className="flex items-center justify-end gap-3">
                        <span className="hidden xl:block">
                          <Sparkline
                            values={entry.hourlyAttempts}
                            highlight={entry.hourlyFailures}
                            label={`${plural(entry.attempts, 'attempt')} in the last 24 hours, ${count.format(entry.failed)} failed`}
                            width={72}
                            height={20}
                          />
                        </span>
                        <div className="min-w-[5ch]">
                          <div className={successTone(entry.successRate)}>{entry.successRate === null ? '–' : percent.format(entry.successRate)}</div>
                          <div className="whitespace-nowrap text-xs text-slate-500">
                            {count.format(entry.attempts)} {entry.attempts === 1 ? 'attempt' : 'attempts'}
                          </div>
                        </div>
                      </div>
                    </Td>
                    <Td align="right" className="whitespace-nowrap text-slate-700">
                      {formatLatencyBound(entry.p95Ms)}
                    </Td>
                    <Td align="right">
                      <div className={entry.backlog.total > 0 ? 'font-medium text-slate-900' : 'text-slate-500'}>
                        {count.format(entry.backlog.total)}
                        {entry.backlog.capped ? '+' : ''}
                      </div>
                      {entry.backlog.failed > 0 ? <div className="text-xs text-red-700">{count.format(entry.backlog.failed)} failed</div> : null}
                    </Td>
                    <Td align="right">{routesHere === 0 ? <Badge tone="amber">None</Badge> : count.format(routesHere)}</Td>
                  </tr>
                );
              })}
            </TBody>
          </Table>
        </Card>
      )}
    </>
  );
}
