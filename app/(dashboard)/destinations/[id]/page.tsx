import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache, type ReactNode } from 'react';
import { RelativeTime } from '@/components/relative-time';
import { CircuitBadge, DestinationStatusBadge, DestinationTypeBadge } from '@/components/destinations/badges';
import { DESTINATION_TYPE_INFO, hasMaskedPassword, isBroker, optionRows, typeOfUrl } from '@/components/destinations/destination-types';
import { formatSchedule } from '@/components/destinations/durations';
import { LocalDateTime } from '@/components/sources/date-time';
import { SecretsPanel } from '@/components/sources/secrets-panel';
import { Sparkline } from '@/components/sources/sparkline';
import { StatTile } from '@/components/sources/stat-tile';
import { DeliveryStatusBadge } from '@/components/events/delivery-status';
import { LocalTime } from '@/components/events/local-time';
import { Card, Notice, PageHeader } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { emptyDestinationHealth, formatLatencyBound, HEALTH_WINDOW_HOURS, loadDestinationHealth } from '@/lib/destinations/destination-health-summary';
import { type DestinationView, getDestinationOrThrow, viewOptionsFor } from '@/lib/destinations/manage-destinations';
import { AppError } from '@/lib/http/errors';
import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { listRoutes } from '@/lib/routes/manage-routes';
import { listSources } from '@/lib/sources/manage-sources';
import { revealSigningSecretAction, revokeSigningSecretAction, rotateSigningSecretAction, updateDestinationAlertSettingsAction } from '../actions';
import { DestinationAlertSettingsCard } from './destination-alert-settings';
import { DestinationConfigCard } from './destination-config-card';
import { PauseResume } from './pause-resume';
import { RevealUrl } from './reveal-url';
import { RoutesPanel } from './routes-panel';
import { SendTestDelivery } from './send-test-delivery';

const count = new Intl.NumberFormat('en');
const RECENT_DELIVERIES = 10;
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

/** One read per request, shared by the metadata and the page. */
const loadDestination = cache(async (id: string, revealHeaders: boolean): Promise<DestinationView> => {
  try {
    return await getDestinationOrThrow(id, { revealHeaders });
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const destination = await loadDestination((await params).id, viewOptionsFor(await requireSignedIn()).revealHeaders);
  return { title: destination.name };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

export default async function DestinationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireSignedIn();
  const isAdmin = hasRole(principal.role, 'ADMIN');
  const destination = await loadDestination(id, viewOptionsFor(principal).revealHeaders);
  const [health, routes, sources, recent] = await Promise.all([
    loadDestinationHealth({ destinationIds: [destination.id] }),
    listRoutes({ destinationId: destination.id }),
    // Only names and ids are used here, so the base URL does not matter.
    listSources(''),
    listDeliveries({ destinationId: destination.id, limit: RECENT_DELIVERIES }),
  ]);
  const entry = health.get(destination.id) ?? emptyDestinationHealth();
  const headers = Object.entries(destination.headers);
  const { backlog } = entry;
  const type = typeOfUrl(destination.url);
  const broker = isBroker(type);
  // Only admins get the control; the server action checks the role again (and audits).
  const canReveal = isAdmin && hasMaskedPassword(destination.url);

  const summary = (
    <dl className="-my-2.5 divide-y divide-slate-100">
      <Row label="Type">
        <span className="flex flex-wrap items-center gap-2">
          <DestinationTypeBadge type={type} />
          <span className="text-xs text-slate-500">{DESTINATION_TYPE_INFO[type].deliveredAs}</span>
        </span>
      </Row>
      <Row label="URL">
        <span className="flex min-w-0 flex-wrap items-center gap-2">
          <code className="break-all font-mono text-xs" data-testid="destination-url">
            {destination.url}
          </code>
        </span>
        {broker && hasMaskedPassword(destination.url) ? (
          <p className="mt-1 text-xs text-slate-500">
            The {type === 'nats' ? 'password or token' : 'password'} is stored encrypted and shown as ***{isAdmin ? '; Reveal (at the top) is audited.' : '.'}
          </p>
        ) : null}
      </Row>
      {optionRows(type, destination.options).map((option) => (
        <Row key={option.label} label={option.label}>
          <code className="break-all font-mono text-xs" data-testid={`destination-option-${option.label}`}>
            {option.value}
          </code>
        </Row>
      ))}
      {broker ? null : (
        <Row label="Headers">
          {headers.length === 0 ? (
            <span className="text-slate-500">None added</span>
          ) : (
            <ul className="space-y-0.5">
              {headers.map(([name, value]) => (
                <li key={name} className="font-mono text-xs">
                  <span className="text-slate-500">{name}:</span> {value}
                </li>
              ))}
            </ul>
          )}
          {!isAdmin && headers.length > 0 ? <p className="mt-1 text-xs text-slate-500">Values are masked: they often carry tokens.</p> : null}
        </Row>
      )}
      <Row label="Timeout">{count.format(destination.timeoutMs / 1000)} s</Row>
      <Row label="Retry schedule">
        {destination.retrySchedule.length} attempts: {formatSchedule(destination.retrySchedule)}
      </Row>
      <Row label="Max concurrency">{count.format(destination.maxConcurrency)} requests in flight</Row>
      <Row label="Rate limit">{destination.rateLimitPerSecond === null ? 'Unlimited' : `${count.format(destination.rateLimitPerSecond)} per second`}</Row>
      <Row label="Ordering key">
        {destination.orderingKey ? <code className="font-mono text-xs">{destination.orderingKey}</code> : 'None: deliveries go out in parallel'}
      </Row>
      <Row label="Created">
        <RelativeTime value={destination.createdAt} />
      </Row>
    </dl>
  );

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/destinations" className="text-slate-500 hover:text-slate-800">
          ← Destinations
        </Link>
      </nav>
      <PageHeader
        title={destination.name}
        description={
          <span className="flex min-w-0 flex-wrap items-center gap-2">
            <DestinationStatusBadge status={destination.status} />
            <CircuitBadge state={destination.circuitState} />
            <DestinationTypeBadge type={type} />
            <code className="break-all font-mono text-xs text-slate-600" data-testid="destination-header-url">
              {destination.url}
            </code>
            <CopyButton value={destination.url} label="Copy destination URL" />
            {canReveal ? <RevealUrl destinationId={destination.id} /> : null}
          </span>
        }
        actions={isAdmin ? <PauseResume id={destination.id} name={destination.name} status={destination.status} /> : null}
      />

      <div className="space-y-6">
        {destination.status === 'paused' ? (
          <Notice tone="info">
            Paused <RelativeTime value={destination.pausedAt} />: deliveries are held ({count.format(backlog.paused)} so far) and go out when it is resumed.
          </Notice>
        ) : null}
        {destination.status === 'disabled' ? (
          <Notice tone="error">
            Disabled <RelativeTime value={destination.disabledAt} />
            {destination.failingSince ? ' after a long run of failures' : ''}. No deliveries are created for it until it is re-enabled.
          </Notice>
        ) : null}
        {destination.circuitState !== 'closed' && destination.status === 'active' ? (
          <Notice tone="error">
            The circuit is {destination.circuitState === 'open' ? 'open' : 'half-open'} after {count.format(destination.consecutiveFailures)} failures in a row:
            sending is suspended
            {destination.circuitRetryAt ? (
              <>
                {' '}
                until <LocalDateTime value={destination.circuitRetryAt} seconds />, when one delivery probes
              </>
            ) : null}
            . Failing since <RelativeTime value={destination.failingSince} />.
          </Notice>
        ) : null}

        <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          <StatTile
            label={`Success rate, ${HEALTH_WINDOW_HOURS} h`}
            value={entry.successRate === null ? '–' : percent.format(entry.successRate)}
            tone={entry.successRate === null ? 'default' : entry.successRate < 0.9 ? 'bad' : entry.successRate < 0.99 ? 'warn' : 'good'}
            detail={
              <Sparkline
                values={entry.hourlyAttempts}
                highlight={entry.hourlyFailures}
                label={`${count.format(entry.attempts)} attempts in the last 24 hours, ${count.format(entry.failed)} failed, by hour`}
                width={140}
                height={20}
              />
            }
            testId="stat-success"
          />
          <StatTile label="p95 latency" value={formatLatencyBound(entry.p95Ms)} detail={`p50 ${formatLatencyBound(entry.p50Ms)}`} />
          <StatTile
            label="Attempts, 24 h"
            value={count.format(entry.attempts)}
            detail={`${count.format(entry.failed)} failed · ${count.format(entry.exhausted)} gave up`}
            testId="stat-attempts"
          />
          <StatTile
            label="Backlog"
            value={`${count.format(backlog.total)}${backlog.capped ? '+' : ''}`}
            detail={
              <>
                {count.format(backlog.pending)} pending · {count.format(backlog.inFlight)} sending
                {backlog.paused > 0 ? ` · ${count.format(backlog.paused)} held` : ''}
                {backlog.failed > 0 ? <span className="text-red-700"> · {count.format(backlog.failed)} failed</span> : null}
              </>
            }
          />
        </dl>

        <Card
          title="Recent deliveries"
          description={
            <span className="flex flex-wrap gap-x-4">
              <Link
                href={`/events?destinationId=${destination.id}`}
                className="font-semibold text-indigo-700 hover:underline"
                data-testid="destination-events-link"
              >
                All its events →
              </Link>
              <Link
                href={`/failed?destinationId=${destination.id}`}
                className="font-semibold text-indigo-700 hover:underline"
                data-testid="destination-failed-link"
              >
                Its failed deliveries →
              </Link>
            </span>
          }
        >
          {recent.data.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing delivered here yet. Route a source to it, or send a test event below.</p>
          ) : (
            <table className="w-full table-fixed text-sm" data-testid="recent-deliveries">
              <caption className="sr-only">The {RECENT_DELIVERIES} most recent deliveries to this destination, newest first</caption>
              <thead>
                <tr className="text-left text-xs text-slate-500">
                  <th scope="col" className="py-1.5 font-medium">
                    Event
                  </th>
                  <th scope="col" className="w-40 py-1.5 font-medium">
                    Source
                  </th>
                  <th scope="col" className="w-32 py-1.5 font-medium">
                    Status
                  </th>
                  <th scope="col" className="w-44 py-1.5 font-medium">
                    Created
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {recent.data.map((delivery) => (
                  <tr key={delivery.id} data-testid="recent-delivery" data-event-id={delivery.event.id} data-status={delivery.status}>
                    <td className="break-all py-1.5">
                      <Link href={`/events/${delivery.event.id}#delivery-${delivery.id}`} className="font-mono text-xs text-indigo-700 hover:underline">
                        {delivery.event.eventType ?? 'Event without a type'}
                      </Link>
                      {delivery.lastError && delivery.status !== 'succeeded' ? (
                        <p className="truncate text-xs text-red-700" title={delivery.lastError}>
                          {delivery.lastError}
                        </p>
                      ) : null}
                    </td>
                    <td className="break-words py-1.5 text-slate-700">{delivery.source.name}</td>
                    <td className="py-1.5">
                      <DeliveryStatusBadge status={delivery.status} />
                    </td>
                    <td className="py-1.5 text-xs text-slate-600">
                      <LocalTime value={delivery.createdAt.toISOString()} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>

        <Card title="Send test event">
          <SendTestDelivery destinationId={destination.id} type={type} allowed={hasRole(principal.role, 'SUPPORT')} />
        </Card>

        <RoutesPanel
          destinationId={destination.id}
          canManage={isAdmin}
          routes={routes.map((route) => ({
            id: route.id,
            sourceId: route.sourceId,
            source: { name: route.source.name, slug: route.source.slug, status: route.source.status },
            eventTypes: route.eventTypes,
            filter: route.filter,
            transform: route.transform,
            enabled: route.enabled,
          }))}
          sources={sources.map((source) => ({
            id: source.id,
            name: source.name,
            slug: source.slug,
            providerLabel: source.providerLabel,
            status: source.status,
          }))}
        />

        <SecretsPanel
          ownerId={destination.id}
          ownerKind="destination"
          title="Signing secret"
          secrets={destination.secrets}
          secretLabel="Signing secret (whsec_…)"
          description="Forwards carry webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks). During a rotation’s grace period each forward is signed with every active secret, so the receiver can switch at its own pace."
          generatedHint="Leave empty to generate one (whsec_ + base64 of 24 random bytes). A value you paste must have that shape."
          emptyHint="Rotate to create a signing secret."
          actions={isAdmin ? { rotate: rotateSigningSecretAction, reveal: revealSigningSecretAction, revoke: revokeSigningSecretAction } : undefined}
        />

        <DestinationAlertSettingsCard
          destinationId={destination.id}
          settings={destination.alertSettings}
          canEdit={isAdmin}
          save={updateDestinationAlertSettingsAction}
        />

        <DestinationConfigCard
          summary={summary}
          edit={
            isAdmin
              ? {
                  destinationId: destination.id,
                  initial: {
                    name: destination.name,
                    url: destination.url,
                    options: destination.options,
                    headers: destination.headers,
                    timeoutMs: destination.timeoutMs,
                    retrySchedule: destination.retrySchedule,
                    maxConcurrency: destination.maxConcurrency,
                    rateLimitPerSecond: destination.rateLimitPerSecond,
                    orderingKey: destination.orderingKey,
                  },
                }
              : undefined
          }
        />
      </div>
    </>
  );
}
