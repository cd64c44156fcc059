import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache, type ReactNode } from 'react';
import { AutoRefresh } from '@/components/events/auto-refresh';
import { BodyViewer } from '@/components/events/body-viewer';
import { type BlockedBy, DeliveryCard } from '@/components/events/delivery-card';
import { formatBytes, plural } from '@/components/events/format';
import { HeadersTable } from '@/components/events/headers-table';
import { LocalTime } from '@/components/events/local-time';
import { ReplayAllButton } from '@/components/events/replay-controls';
import { Badge, Card } from '@/components/ui/card';
import { CopyButton } from '@/components/ui/copy-button';
import { EmptyState } from '@/components/ui/empty-state';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { listDeliveries } from '@/lib/deliveries/list-deliveries';
import { type EventView, getDeliveryOrThrow, getEventOrThrow } from '@/lib/events/get-event';
import { AppError } from '@/lib/http/errors';
import { replayEventAction, retryDeliveryAction } from '../actions';

/** What the page sends to the browser of a body at most; the API has the rest. */
const BODY_VIEW_LIMIT = 2 * 1024 * 1024;
/** The original set beside a transformed request: as much as the attempt keeps of the transformed body. */
const ORIGINAL_VIEW_LIMIT = 256 * 1024;

const loadEvent = cache(async (id: string): Promise<EventView> => {
  const principal = await requireSignedIn();
  try {
    return await getEventOrThrow(id, principal.role);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const event = await loadEvent((await params).id);
  return { title: event.eventType ?? 'Event' };
}

/**
 * For a waiting delivery with an ordering key: the delivery that must finish first. The rule
 * lives in the deliveries list (`blockedBy`, the claim's own rule), so it is asked there, for
 * exactly this delivery's destination, status and creation instant.
 */
async function blockedByFor(delivery: EventView['deliveries'][number]): Promise<BlockedBy | null> {
  if (!delivery.orderingKey || (delivery.status !== 'pending' && delivery.status !== 'paused')) return null;
  const created = new Date(delivery.createdAt);
  const page = await listDeliveries({
    destinationId: delivery.destination.id,
    status: delivery.status,
    from: created,
    to: new Date(created.getTime() + 1),
    limit: 200,
  });
  const head = page.data.find((row) => row.id === delivery.id)?.blockedBy;
  if (!head) return null;
  try {
    const blocking = await getDeliveryOrThrow(head, 'VIEWER');
    return { deliveryId: head, eventId: blocking.event.id, eventType: blocking.event.eventType, status: blocking.status };
  } catch {
    return null;
  }
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="py-2">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="mt-0.5 break-all text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function EventPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireSignedIn();
  const event = await loadEvent(id);
  const canAct = hasRole(principal.role, 'SUPPORT');

  // The latest delivery to each destination is what a replay re-sends (and what "Replay" offers).
  const latest = new Map<string, string>();
  for (const delivery of event.deliveries) latest.set(delivery.destination.id, delivery.id);
  const succeeded = event.deliveries.filter((delivery) => latest.get(delivery.destination.id) === delivery.id && delivery.status === 'succeeded');
  const blocked = new Map(await Promise.all(event.deliveries.map(async (delivery) => [delivery.id, await blockedByFor(delivery)] as const)));
  const moving = event.deliveries.some((delivery) => delivery.status === 'pending' || delivery.status === 'in_flight');
  const body = event.body.data.length > BODY_VIEW_LIMIT ? { ...event.body, data: event.body.data.slice(0, BODY_VIEW_LIMIT) } : event.body;
  // Beside a transformed request: the event as received, cut like the transformed body (256 KiB) so each card stays light.
  const transformedAny = event.deliveries.some((delivery) => delivery.attempts.some((attempt) => attempt.request?.transformed));
  const original = transformedAny
    ? {
        headers: event.headers,
        body: event.body.data.length > ORIGINAL_VIEW_LIMIT ? { ...event.body, data: event.body.data.slice(0, ORIGINAL_VIEW_LIMIT) } : event.body,
      }
    : undefined;
  const headerCount = event.headers && typeof event.headers === 'object' ? Object.keys(event.headers).length : 0;
  const similar = new URLSearchParams({ sourceId: event.source.id, ...(event.eventType ? { eventType: event.eventType } : {}) });

  return (
    <>
      <AutoRefresh active={moving} />
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/events" className="font-medium text-slate-500 hover:text-indigo-700">
          ← Events
        </Link>
      </nav>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-all font-mono text-2xl font-semibold tracking-tight text-slate-900">{event.eventType ?? 'Event without a type'}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-2 text-sm text-slate-500">
            <span>
              From{' '}
              <Link href={`/sources/${event.source.id}`} className="font-medium text-slate-700 hover:text-indigo-700 hover:underline">
                {event.source.name}
              </Link>
            </span>
            <span aria-hidden="true">·</span>
            <LocalTime value={event.receivedAt} format="precise" relative="inline" />
            <span aria-hidden="true">·</span>
            <Link href={`/events?${similar.toString()}`} className="font-medium text-indigo-700 hover:underline">
              Similar events
            </Link>
          </p>
        </div>
        <ReplayAllButton
          eventId={event.id}
          destinationCount={latest.size}
          succeededDestinations={succeeded.map((delivery) => delivery.destination.name)}
          allowed={canAct}
          action={replayEventAction}
        />
      </div>

      <div className="grid gap-6 xl:grid-cols-3">
        <div className="min-w-0 space-y-6 xl:col-span-2">
          <section aria-labelledby="deliveries-title">
            <div className="mb-3 flex items-baseline justify-between gap-3">
              <h2 id="deliveries-title" className="text-base font-semibold text-slate-900">
                Deliveries
              </h2>
              <p className="text-xs text-slate-500">
                {event.deliveries.length > 0 ? `${plural(event.deliveries.length, 'delivery', 'deliveries')}, oldest first` : null}
                {moving ? ' · updating live' : null}
              </p>
            </div>
            {event.deliveries.length === 0 ? (
              <Card>
                <EmptyState
                  icon="route"
                  compact
                  title="Not forwarded anywhere"
                  description="No route of this source matched the event when it arrived. Add a route from the source to a destination for events like this one; replays only go where an event was delivered before."
                  action={
                    <Link href="/destinations" className="text-sm font-semibold text-indigo-700 hover:underline">
                      Go to destinations →
                    </Link>
                  }
                />
              </Card>
            ) : (
              <div className="space-y-4">
                {event.deliveries.map((delivery) => (
                  <DeliveryCard
                    key={delivery.id}
                    eventId={event.id}
                    delivery={delivery}
                    isLatest={latest.get(delivery.destination.id) === delivery.id}
                    blockedBy={blocked.get(delivery.id) ?? null}
                    canAct={canAct}
                    replay={replayEventAction}
                    retry={retryDeliveryAction}
                    original={original}
                  />
                ))}
              </div>
            )}
          </section>

          <Card title="Body" description={`${formatBytes(event.size)}${event.contentType ? ` · ${event.contentType}` : ''}`}>
            <div data-testid="request-body">
              <BodyViewer body={body} label="Request body" searchHref eventId={event.id} />
            </div>
            {body !== event.body ? (
              <p className="mt-1 text-xs text-slate-500">
                Showing the first {formatBytes(BODY_VIEW_LIMIT)}; <code className="font-mono">GET /api/v1/events/{event.id}</code> has the whole body.
              </p>
            ) : null}
          </Card>

          <Card title="Request headers" description={`${plural(headerCount, 'header')}, as received (secret-bearing values are stored redacted)`}>
            <HeadersTable headers={event.headers} caption="Request headers" testId="request-headers" />
          </Card>
        </div>

        <div className="min-w-0 space-y-6">
          <Card title="Verification">
            {event.verification.status === 'verified' ? (
              <div className="space-y-2 text-sm" data-testid="verification">
                <Badge tone="green">Verified</Badge>
                {event.verification.matchedSecret ? (
                  <p className="text-slate-700">
                    Signed with <span className="font-medium">{event.verification.matchedSecret.label ?? 'an unlabelled secret'}</span>{' '}
                    {event.verification.matchedSecret.hint ? (
                      <code className="font-mono text-xs text-slate-500">{event.verification.matchedSecret.hint}</code>
                    ) : (
                      <span className="text-slate-500">(deleted since)</span>
                    )}
                  </p>
                ) : (
                  <p className="text-slate-600">The request passed the source&apos;s {event.source.provider} check.</p>
                )}
              </div>
            ) : (
              <div className="space-y-2 text-sm" data-testid="verification">
                <Badge tone="amber">Unverified</Badge>
                <p className="text-slate-600">
                  {event.source.provider === 'none'
                    ? 'This source does not verify requests, so anyone who knows its URL could have sent this one.'
                    : 'Accepted without a verified signature.'}
                </p>
              </div>
            )}
          </Card>

          <Card title="Request">
            <dl className="-my-2 divide-y divide-slate-100">
              <Row label="Event id">
                <span className="flex items-center justify-between gap-2">
                  <code className="font-mono text-xs" data-testid="event-id">
                    {event.id}
                  </code>
                  <CopyButton value={event.id} label="Copy event id" />
                </span>
              </Row>
              <Row label="Source">
                <Link href={`/sources/${event.source.id}`} className="text-indigo-700 hover:underline">
                  {event.source.name}
                </Link>{' '}
                <span className="text-slate-500">({event.source.provider})</span>
              </Row>
              <Row label="Received">
                <LocalTime value={event.receivedAt} format="precise" relative="below" />
              </Row>
              <Row label="Request">
                <code className="font-mono text-xs">
                  {event.method} /api/ingest/{event.source.slug}
                  {event.query ? `?${event.query}` : ''}
                </code>
              </Row>
              <Row label="Size">{formatBytes(event.size)}</Row>
              <Row label="Content type">{event.contentType ?? <span className="text-slate-500">none</span>}</Row>
              <Row label="Sender address">
                {event.sourceIp ? <code className="font-mono text-xs">{event.sourceIp}</code> : <span className="text-slate-500">unknown</span>}
              </Row>
              <Row label="Dedup key">
                {event.dedupKey ? <code className="font-mono text-xs">{event.dedupKey}</code> : <span className="text-slate-500">none</span>}
              </Row>
            </dl>
          </Card>
        </div>
      </div>
    </>
  );
}
