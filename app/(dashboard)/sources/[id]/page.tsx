import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache, type ReactNode } from 'react';
import { SilenceBadge } from '@/components/alerts/silence-badge';
import { RelativeTime } from '@/components/relative-time';
import { LocalDateTime } from '@/components/sources/date-time';
import { SourceStatusBadge } from '@/components/sources/badges';
import { IngestUrl } from '@/components/sources/ingest-url';
import { providerOptions, settingFieldsOf } from '@/components/sources/provider-fields';
import { RecentRequests } from '@/components/sources/recent-requests';
import { RefreshButton } from '@/components/sources/refresh-button';
import { SecretsPanel } from '@/components/sources/secrets-panel';
import { plural } from '@/components/events/format';
import { Sparkline } from '@/components/sources/sparkline';
import { StatTile } from '@/components/sources/stat-tile';
import { Badge, Card, PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { AppError } from '@/lib/http/errors';
import { getProvider } from '@/lib/providers';
import { listRoutes } from '@/lib/routes/manage-routes';
import { listDestinations } from '@/lib/destinations/manage-destinations';
import { AddRouteFromSource, EditRouteFromSource } from './add-route';
import { getSourceOrThrow, type SourceView } from '@/lib/sources/manage-sources';
import { testEventAvailability } from '@/lib/sources/send-test-event';
import { emptySourceStats, loadRecentRequests, loadSourceStats, RECENT_REQUESTS_LIMIT } from '@/lib/sources/source-stats';
import { formatSeconds } from '@/lib/alerts/durations';
import {
  addSourceSecretAction,
  revealSourceSecretAction,
  revokeSourceSecretAction,
  rotateSourceSecretAction,
  updateSourceAlertSettingsAction,
} from '../actions';
import { requestBaseUrl } from '../request-base-url';
import { SendTestEvent } from './send-test-event';
import { SourceAlertSettingsCard } from './source-alert-settings';
import { SourceConfigCard } from './source-config-card';
import { SourceStatusToggle } from './source-status-toggle';

const count = new Intl.NumberFormat('en');
const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const sizeFormat = new Intl.NumberFormat('en', { style: 'unit', unit: 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1 });

/** One read per request, shared by the metadata and the page. */
const loadSource = cache(async (id: string, baseUrl: string): Promise<SourceView> => {
  try {
    return await getSourceOrThrow(id, baseUrl);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const source = await loadSource((await params).id, await requestBaseUrl());
  return { title: source.name };
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  return sizeFormat.format(bytes / 1024).replace('kB', 'KiB');
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

function settingsText(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === '' || value === null || value === undefined) return '–';
  return String(value);
}

export default async function SourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireSignedIn();
  const isAdmin = hasRole(principal.role, 'ADMIN');
  const baseUrl = await requestBaseUrl();
  const source = await loadSource(id, baseUrl);
  const [stats, requests, routes, destinations] = await Promise.all([
    loadSourceStats({ sourceIds: [source.id] }),
    loadRecentRequests(source.id),
    listRoutes({ sourceId: source.id }),
    isAdmin ? listDestinations({ revealHeaders: false }) : Promise.resolve([]),
  ]);
  const routedTo = new Set(routes.map((route) => route.destinationId));
  const unrouted = destinations
    .filter((destination) => !routedTo.has(destination.id))
    .map((destination) => ({ id: destination.id, name: destination.name, url: destination.url, status: destination.status }));
  const entry = stats.get(source.id) ?? emptySourceStats();
  const preset = getProvider(source.provider);
  const availability = testEventAvailability({ provider: source.provider, status: source.status, settings: source.settings, secrets: source.secrets });
  const settings = (source.settings ?? {}) as Record<string, unknown>;
  const providers = isAdmin ? providerOptions() : [];
  const settingLabels = new Map(settingFieldsOf(preset.settingsSchema).map((field) => [field.key, field.label]));
  const presetFields = providers.find((option) => option.id === source.provider)?.fields;
  const secretHints = Object.fromEntries(source.secrets.map((secret) => [secret.id, secret.hint]));
  const dedup = !source.dedupEnabled
    ? 'Off: every request is stored'
    : source.dedupHeader
      ? `Header ${source.dedupHeader}`
      : source.dedupJsonPath
        ? `JSON path ${source.dedupJsonPath}`
        : `${source.providerLabel}’s event id`;

  const summary = (
    <dl className="-my-2.5 divide-y divide-slate-100">
      <Row label="Provider">
        {source.providerLabel} <span className="font-mono text-xs text-slate-500">({source.provider})</span>
      </Row>
      {Object.keys(settings).length > 0 ? (
        <Row label={`${source.providerLabel} settings`}>
          <ul className="space-y-0.5">
            {Object.entries(settings).map(([key, value]) => (
              <li key={key}>
                <span className="text-slate-500">{settingLabels.get(key) ?? key}:</span> <span className="font-mono text-xs">{settingsText(value)}</span>
              </li>
            ))}
          </ul>
        </Row>
      ) : null}
      <Row label="Size limit">{formatBytes(source.sizeLimitBytes)}</Row>
      <Row label="Rate limit">{source.rateLimitPerSecond === null ? 'Unlimited' : `${plural(source.rateLimitPerSecond, 'request')} per second`}</Row>
      <Row label="IP allowlist">
        {source.ipAllowlist.length === 0 ? (
          'Every address'
        ) : (
          <span className="flex flex-wrap gap-1">
            {source.ipAllowlist.map((cidr) => (
              <code key={cidr} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                {cidr}
              </code>
            ))}
          </span>
        )}
      </Row>
      <Row label="Duplicates recognised by">{dedup}</Row>
      <Row label="Event type">{source.eventTypeJsonPath ? `JSON path ${source.eventTypeJsonPath}` : `${source.providerLabel}’s own event type`}</Row>
      <Row label="Created">
        <RelativeTime value={source.createdAt} />
      </Row>
    </dl>
  );

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/sources" className="text-slate-500 hover:text-slate-800">
          ← Sources
        </Link>
      </nav>
      <PageHeader
        title={source.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge tone="indigo">{source.providerLabel}</Badge>
            <SourceStatusBadge status={source.status} />
            {!source.verifies ? <Badge tone="amber">Unverified</Badge> : null}
            {source.silence?.silent ? <SilenceBadge silentSince={source.silence.silentSince!} expectedEvery={source.silence.expectedEvery} /> : null}
            <span className="font-mono text-xs text-slate-500">{source.slug}</span>
          </span>
        }
        actions={isAdmin ? <SourceStatusToggle id={source.id} name={source.name} status={source.status} /> : null}
      />

      <div className="space-y-6">
        <Card
          title="Ingest URL"
          description={`Paste it into ${source.providerLabel}’s webhook settings. Hookyard answers at once and forwards to the routes below.`}
        >
          <div className="space-y-4">
            <IngestUrl url={source.ingestUrl} />
            {source.status === 'disabled' ? <p className="text-sm text-amber-700">Disabled: this URL answers 404 until the source is enabled again.</p> : null}
            {isAdmin ? (
              <SendTestEvent
                sourceId={source.id}
                providerLabel={source.providerLabel}
                unavailableReason={availability.available ? null : availability.reason}
              />
            ) : null}
          </div>
        </Card>

        <dl className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          <StatTile
            label="Requests, last 24 h"
            value={count.format(entry.received)}
            detail={<Sparkline values={entry.hourly} label={`${plural(entry.received, 'request')} in the last 24 hours, by hour`} width={140} height={20} />}
            testId="stat-received"
          />
          <StatTile label="Accepted" value={count.format(entry.accepted)} detail="Verified, stored and fanned out" />
          <StatTile
            label="Rejected"
            value={entry.rejectionRate === null ? '–' : percent.format(entry.rejectionRate)}
            tone={entry.rejectionRate !== null && entry.rejectionRate >= 0.05 ? 'bad' : entry.rejectionRate ? 'warn' : 'default'}
            detail={`${count.format(entry.rejected)} ${entry.rejected === 1 ? 'request' : 'requests'} refused`}
          />
          <StatTile label="Duplicates" value={count.format(entry.duplicates)} detail="Answered 200 with the first event's id" />
        </dl>

        {source.verifies ? (
          <SecretsPanel
            ownerId={source.id}
            ownerKind="source"
            secrets={source.secrets}
            secretLabel={preset.secretLabel}
            description={
              isAdmin
                ? `${preset.secretLabel}. Values are encrypted at rest; only a reveal shows one, and it is audited.`
                : `${preset.secretLabel}. Values are visible to admins only.`
            }
            emptyHint={`${source.providerLabel} requests are refused (unknown secret) until you add the ${preset.secretLabel.toLowerCase()}.`}
            actions={
              isAdmin
                ? { add: addSourceSecretAction, rotate: rotateSourceSecretAction, reveal: revealSourceSecretAction, revoke: revokeSourceSecretAction }
                : undefined
            }
          />
        ) : null}

        <Card
          title="Recent requests"
          description={`The last ${RECENT_REQUESTS_LIMIT} requests, accepted and rejected, newest first. Rejections are sampled at a bounded rate.`}
          actions={<RefreshButton />}
        >
          <RecentRequests requests={requests} secretHints={secretHints} />
        </Card>

        <Card
          title="Routes"
          description="Destinations that receive this source’s events. Add one here or on the destination’s page."
          actions={isAdmin ? <AddRouteFromSource source={{ id: source.id, name: source.name }} destinations={unrouted} /> : null}
        >
          {routes.length === 0 ? (
            <EmptyState
              icon="route"
              compact
              title="Not routed anywhere yet"
              description="Events are stored but not forwarded. Add a route to a destination (above), optionally narrowed to some event types or payloads."
              action={
                <Link href="/destinations" className="text-sm font-semibold text-indigo-700 hover:underline">
                  Go to destinations →
                </Link>
              }
            />
          ) : (
            <ul className="-my-2 divide-y divide-slate-100">
              {routes.map((route) => (
                <li key={route.id} className="flex flex-wrap items-center justify-between gap-2 py-2.5">
                  <div className="min-w-0">
                    <Link href={`/destinations/${route.destinationId}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                      {route.destination.name}
                    </Link>
                    <div className="truncate font-mono text-xs text-slate-500">{route.destination.url}</div>
                  </div>
                  <div className="flex flex-wrap items-center gap-1.5">
                    {route.eventTypes.length === 0 ? <Badge>All events</Badge> : route.eventTypes.map((pattern) => <Badge key={pattern}>{pattern}</Badge>)}
                    {route.filter !== null ? <Badge tone="indigo">Payload filter</Badge> : null}
                    {route.transform !== null ? <Badge tone="indigo">Transform</Badge> : null}
                    {!route.enabled ? <Badge tone="amber">Route off</Badge> : null}
                    {route.destination.status !== 'active' ? <Badge tone="amber">Destination {route.destination.status}</Badge> : null}
                    {isAdmin ? (
                      <EditRouteFromSource
                        destination={{ id: route.destinationId, name: route.destination.name }}
                        route={{
                          id: route.id,
                          sourceId: source.id,
                          source: { name: source.name, slug: source.slug, status: source.status },
                          eventTypes: route.eventTypes,
                          filter: route.filter,
                          transform: route.transform,
                          enabled: route.enabled,
                        }}
                      />
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>

        <SourceAlertSettingsCard
          sourceId={source.id}
          settings={source.alertSettings}
          canEdit={isAdmin}
          save={updateSourceAlertSettingsAction}
          silenceState={
            source.silence ? (
              <span data-testid="silence-state">
                {source.silence.silent ? 'Silent' : 'Not silent'}: watched since <LocalDateTime value={source.silence.watchingSince} className="min-w-0" />;{' '}
                {source.silence.lastEventAt ? (
                  <>
                    last event <LocalDateTime value={source.silence.lastEventAt} className="min-w-0" />.
                  </>
                ) : (
                  'no event yet.'
                )}{' '}
                {source.silence.silent ? `More than ${formatSeconds(source.silence.expectedEvery)} without an event.` : null}
              </span>
            ) : source.status === 'disabled' ? (
              'A disabled source is not watched.'
            ) : (
              'Not watched.'
            )
          }
        />

        <SourceConfigCard
          summary={summary}
          edit={
            isAdmin
              ? {
                  sourceId: source.id,
                  providers,
                  baseUrl,
                  initial: {
                    name: source.name,
                    slug: source.slug,
                    provider: source.provider,
                    settings: presetFields ? settings : {},
                    sizeLimitBytes: source.sizeLimitBytes,
                    rateLimitPerSecond: source.rateLimitPerSecond,
                    ipAllowlist: source.ipAllowlist,
                    dedupHeader: source.dedupHeader,
                    dedupJsonPath: source.dedupJsonPath,
                    dedupEnabled: source.dedupEnabled,
                    eventTypeJsonPath: source.eventTypeJsonPath,
                  },
                }
              : undefined
          }
        />
      </div>
    </>
  );
}
