import Link from 'next/link';
import { AlertKindBadge } from '@/components/alerts/alert-kind-badge';
import { formatCount, formatDuration, formatPercent } from '@/components/charts/format';
import { RelativeTime } from '@/components/relative-time';
import { LocalTime } from './local-time';
import type { Overview } from '@/lib/overview/load-overview';

const LINK = 'font-medium text-indigo-700 hover:text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600';

function Panel({
  title,
  note,
  action,
  children,
  testId,
  className = '',
}: {
  title: string;
  note?: string | null;
  action?: React.ReactNode;
  children: React.ReactNode;
  testId: string;
  className?: string;
}) {
  return (
    <section
      className={`flex min-h-56 flex-col rounded-lg bg-white shadow-sm ring-1 ring-slate-200 ${className}`}
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
    >
      <header className="flex items-center justify-between gap-3 px-5 pt-4">
        <h2 id={`${testId}-title`} className="text-sm font-medium text-slate-600">
          {title}
          {note ? (
            <span
              className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-500"
              title="Kept per destination, so a source filter does not narrow this."
            >
              {note}
            </span>
          ) : null}
        </h2>
        {action}
      </header>
      <div className="flex flex-1 flex-col px-5 pb-4 pt-3">{children}</div>
    </section>
  );
}

const capped = (value: number, isCapped: boolean) => `${formatCount(value, 'en')}${isCapped ? '+' : ''}`;

export function QueuePanel({ queue, scoped }: { queue: Overview['queue']; scoped: boolean }) {
  const age = queue.oldestPendingAgeSeconds;
  const row = 'flex items-baseline justify-between gap-3 py-2.5';
  return (
    <Panel title={scoped ? 'Queue for this filter' : 'Queue right now'} testId="queue">
      <dl className="-mt-1 divide-y divide-slate-100">
        <div className={row}>
          <dt className="text-sm text-slate-600">
            Waiting to be delivered
            <span className="block text-xs text-slate-500">pending or in flight</span>
          </dt>
          <dd className="whitespace-nowrap text-2xl font-semibold tabular-nums text-slate-900" data-testid="queue-depth">
            {capped(queue.depth, queue.depthCapped)}
          </dd>
        </div>
        <div className={row}>
          <dt className="text-sm text-slate-600">
            Oldest waiting
            <span className="block text-xs text-slate-500">
              {queue.oldestPendingAt ? (
                <>
                  since <LocalTime value={queue.oldestPendingAt} />
                </>
              ) : (
                'nothing is waiting'
              )}
            </span>
          </dt>
          <dd
            className={`whitespace-nowrap text-2xl font-semibold tabular-nums ${age !== null && age > 3600 ? 'text-amber-700' : 'text-slate-900'}`}
            data-testid="queue-oldest"
          >
            {age === null ? '—' : formatDuration(age)}
          </dd>
        </div>
        <div className={row}>
          <dt className="text-sm text-slate-600">
            Failed, waiting for a replay
            <span className="block text-xs text-slate-500">
              {queue.failed > 0 ? (
                <Link href="/failed" className={LINK}>
                  Review failed deliveries
                </Link>
              ) : (
                'retries exhausted'
              )}
            </span>
          </dt>
          <dd
            className={`whitespace-nowrap text-2xl font-semibold tabular-nums ${queue.failed > 0 ? 'text-red-700' : 'text-slate-900'}`}
            data-testid="queue-failed"
          >
            {capped(queue.failed, queue.failedCapped)}
          </dd>
        </div>
      </dl>
    </Panel>
  );
}

export function FailingDestinationsPanel({
  destinations,
  rangeLabel,
  note,
}: {
  destinations: Overview['failingDestinations'];
  rangeLabel: string;
  note: string | null;
}) {
  return (
    <Panel title="Destinations failing most" note={note} testId="failing-destinations">
      {destinations.length === 0 ? (
        <EmptyNote title="No failed deliveries" text={`Every delivery attempt in the ${rangeLabel} succeeded.`} />
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Destinations with the most failed delivery attempts in the {rangeLabel}</caption>
          <thead className="text-left text-xs text-slate-500">
            <tr>
              <th scope="col" className="pb-1 font-normal">
                Destination
              </th>
              <th scope="col" className="pb-1 pl-3 text-right font-normal">
                Failed
              </th>
              <th scope="col" className="whitespace-nowrap pb-1 pl-3 text-right font-normal">
                Error rate
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {destinations.map((destination) => (
              <tr key={destination.id}>
                <td className="py-1.5 pr-2">
                  <Link href={`/destinations/${destination.id}`} className={`line-clamp-2 break-words ${LINK}`} title={destination.name}>
                    {destination.name}
                  </Link>
                </td>
                <td className="py-1.5 pl-3 text-right tabular-nums text-slate-700">{formatCount(destination.failed, 'en')}</td>
                <td className="whitespace-nowrap py-1.5 pl-3 text-right">
                  <ErrorRateBar value={destination.errorRate} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

function ErrorRateBar({ value }: { value: number }) {
  return (
    <span className="inline-flex items-center justify-end gap-2">
      <span aria-hidden className="hidden h-1.5 w-12 overflow-hidden rounded-full bg-slate-100 2xl:inline-block">
        <span className="block h-full rounded-full bg-red-500" style={{ width: `${Math.min(100, Math.max(2, value))}%` }} />
      </span>
      <span className="w-12 tabular-nums text-slate-700">{formatPercent(value, 'en')}</span>
    </span>
  );
}

export function OpenAlertsPanel({ alerts, note }: { alerts: Overview['openAlerts']; note: string | null }) {
  return (
    <Panel
      title={`Open alerts${alerts.count ? ` (${formatCount(alerts.count, 'en')})` : ''}`}
      note={note}
      className="md:col-span-2 xl:col-span-1"
      testId="open-alerts"
      action={
        <Link href="/alerts" className={`text-sm ${LINK}`}>
          All alerts
        </Link>
      }
    >
      {alerts.latest.length === 0 ? (
        <EmptyNote
          title="No open alerts"
          text="Hookyard raises one when a delivery gives up, a destination keeps failing, its circuit opens or it is disabled."
        />
      ) : (
        <ul className="-mt-1 divide-y divide-slate-100">
          {alerts.latest.map((alert) => (
            <li key={alert.id} className="py-2">
              <div className="flex items-center justify-between gap-2">
                <span className="flex min-w-0 items-center gap-2">
                  <AlertKindBadge kind={alert.kind} />
                  {alert.count > 1 ? <span className="text-xs tabular-nums text-slate-500">×{formatCount(alert.count, 'en')}</span> : null}
                </span>
                <span className="shrink-0 text-xs text-slate-500">
                  <RelativeTime value={alert.createdAt} />
                </span>
              </div>
              <p className="mt-1 line-clamp-2 break-words text-sm text-slate-700" title={alert.message}>
                {alert.destination ? (
                  <>
                    <Link href={`/destinations/${alert.destination.id}`} className={LINK}>
                      {alert.destination.name}
                    </Link>
                    <span className="text-slate-500"> · </span>
                  </>
                ) : null}
                {alert.message}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function EmptyNote({ title, text }: { title: string; text: string }) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center text-center">
      <span aria-hidden className="mb-2 inline-flex size-8 items-center justify-center rounded-full bg-emerald-50 text-emerald-600">
        ✓
      </span>
      <p className="text-sm font-medium text-slate-700">{title}</p>
      <p className="mt-1 max-w-xs text-xs text-slate-500">{text}</p>
    </div>
  );
}
