import type { Metadata } from 'next';
import Link from 'next/link';
import { AlertKindBadge, alertKindLabel, AlertStatusBadge } from '@/components/alerts/alert-kind-badge';
import { AlertTarget, alertTargetName } from '@/components/alerts/alert-target';
import { Pager } from '@/components/alerts/pager';
import { StatusTabs } from '@/components/alerts/status-tabs';
import { RelativeTime } from '@/components/relative-time';
import { Notice, PageHeader } from '@/components/ui/card';
import { type AlertStatusName, listAlertsQuerySchema } from '@/lib/alerts/alerts.schema';
import { countAlertsByStatus, listAlerts } from '@/lib/alerts/list-alerts';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { AlertActions } from './alert-actions';

export const metadata: Metadata = { title: 'Alerts' };

type Tab = AlertStatusName | 'all';
const TABS: { id: Tab; label: string }[] = [
  { id: 'open', label: 'Open' },
  { id: 'acknowledged', label: 'Acknowledged' },
  { id: 'resolved', label: 'Resolved' },
  { id: 'all', label: 'All' },
];

const EMPTY: Record<Tab, { title: string; text: string }> = {
  open: {
    title: 'No open alerts',
    text: 'All quiet. Hookyard raises an alert when a delivery exhausts its retries, a destination keeps failing, its circuit opens, it is disabled or its backlog grows old, a source goes silent or rejects a burst of requests, or a notification channel keeps failing.',
  },
  acknowledged: { title: 'Nothing acknowledged', text: 'Alerts someone is working on appear here until they are resolved.' },
  resolved: { title: 'No resolved alerts yet', text: 'Resolved alerts stay here as a record of what happened.' },
  all: { title: 'No alerts yet', text: 'When something needs attention, it shows up here and on the overview.' },
};

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) || undefined;

export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requireSignedIn();
  const params = await searchParams;
  const parsed = listAlertsQuerySchema.safeParse({ status: first(params.status), cursor: first(params.cursor) });
  const query = parsed.success ? parsed.data : listAlertsQuerySchema.parse({});
  const [page, counts] = await Promise.all([listAlerts(query), countAlertsByStatus()]);
  const canAct = hasRole(principal.role, 'SUPPORT');
  const tab = query.status as Tab;
  const hrefFor = (status: Tab, cursor?: string | null) => `/alerts?${new URLSearchParams({ status, ...(cursor ? { cursor } : {}) })}`;
  const showActions = canAct && tab !== 'resolved';

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Acknowledge an alert to tell the team you are on it; resolve it when it is over. A new occurrence of a resolved problem opens a new alert."
      />
      <StatusTabs
        label="Alert status"
        current={tab}
        tabs={TABS.map((t) => ({ id: t.id, label: t.label, href: hrefFor(t.id), count: t.id === 'all' ? undefined : counts[t.id as AlertStatusName] }))}
      />
      {!parsed.success ? (
        <div className="mb-4">
          <Notice tone="error">That link had an unknown status or page; showing open alerts instead.</Notice>
        </div>
      ) : null}
      {!canAct ? (
        <p className="mb-4 text-sm text-slate-500">Acknowledging and resolving alerts needs the SUPPORT or ADMIN role; you are a {principal.role}.</p>
      ) : null}

      {page.data.length === 0 ? (
        <div className="rounded-lg bg-white px-6 py-12 text-center shadow-sm ring-1 ring-slate-200" data-testid="alerts-empty">
          <p className="text-base font-medium text-slate-900">{EMPTY[tab].title}</p>
          <p className="mx-auto mt-1 max-w-md text-sm text-slate-500">{EMPTY[tab].text}</p>
          {tab === 'open' && counts.acknowledged > 0 ? (
            <Link href={hrefFor('acknowledged')} className="mt-3 inline-block text-sm font-medium text-indigo-700 hover:underline">
              {counts.acknowledged} acknowledged {counts.acknowledged === 1 ? 'alert is' : 'alerts are'} still being worked on
            </Link>
          ) : null}
        </div>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full text-sm">
            <caption className="sr-only">{TABS.find((t) => t.id === tab)?.label} alerts, newest first</caption>
            <thead className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-5 py-3 font-medium">
                  Alert
                </th>
                <th scope="col" className="px-3 py-3 font-medium">
                  Target
                </th>
                <th scope="col" className="px-3 py-3 text-right font-medium">
                  Count
                </th>
                <th scope="col" className="px-3 py-3 font-medium">
                  Raised
                </th>
                <th scope="col" className="px-3 py-3 font-medium">
                  Handled
                </th>
                {showActions ? (
                  <th scope="col" className="px-5 py-3 text-right font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {page.data.map((alert) => (
                <tr key={alert.id} data-testid={`alert-row-${alert.id}`} className="align-top">
                  <td className="max-w-md px-5 py-3">
                    <div className="flex flex-wrap items-center gap-2">
                      <AlertKindBadge kind={alert.kind} />
                      {tab === 'all' ? <AlertStatusBadge status={alert.status} /> : null}
                    </div>
                    <Link href={`/alerts/${alert.id}`} className="mt-1 block break-words text-slate-800 hover:text-indigo-700 hover:underline">
                      {alert.message}
                    </Link>
                  </td>
                  <td className="px-3 py-3" data-testid="alert-target">
                    <AlertTarget alert={alert} />
                  </td>
                  <td className="px-3 py-3 text-right tabular-nums text-slate-700">{new Intl.NumberFormat('en').format(alert.count)}</td>
                  <td className="whitespace-nowrap px-3 py-3 text-slate-600">
                    <RelativeTime value={alert.createdAt} />
                  </td>
                  <td className="px-3 py-3 text-xs text-slate-600">
                    {alert.acknowledgedAt ? (
                      <p>
                        Acknowledged by <span className="font-medium text-slate-800">{alert.acknowledgedBy}</span> <RelativeTime value={alert.acknowledgedAt} />
                      </p>
                    ) : null}
                    {alert.resolvedAt ? (
                      alert.resolvedBy === 'system' ? (
                        <p className={alert.acknowledgedAt ? 'mt-1' : ''} data-testid="resolved-by-system">
                          Resolved automatically <RelativeTime value={alert.resolvedAt} />
                          {alert.resolution ? <span className="block text-slate-500">{alert.resolution}</span> : null}
                        </p>
                      ) : (
                        <p className={alert.acknowledgedAt ? 'mt-1' : ''}>
                          Resolved by <span className="font-medium text-slate-800">{alert.resolvedBy}</span> <RelativeTime value={alert.resolvedAt} />
                        </p>
                      )
                    ) : null}
                    {!alert.acknowledgedAt && !alert.resolvedAt ? <span className="text-slate-500">Not yet</span> : null}
                  </td>
                  {showActions ? (
                    <td className="px-5 py-3">
                      <AlertActions id={alert.id} status={alert.status} subject={`${alertKindLabel(alert.kind)}, ${alertTargetName(alert)}`} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager label="Alert pages" isFirst={!query.cursor} firstHref={hrefFor(tab)} nextHref={page.nextCursor ? hrefFor(tab, page.nextCursor) : null} />
    </>
  );
}
