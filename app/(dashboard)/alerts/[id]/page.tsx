import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { cache, type ReactNode } from 'react';
import { AlertKindBadge, alertKindLabel, AlertStatusBadge } from '@/components/alerts/alert-kind-badge';
import { RelativeTime } from '@/components/relative-time';
import { LocalDateTime } from '@/components/sources/date-time';
import { Badge, Card, PageHeader } from '@/components/ui/card';
import { Table, TBody, Td, Th, THead } from '@/components/ui/table';
import { requireSignedIn } from '@/app/_server/page-guard';
import { getAlertOrThrow } from '@/lib/alerts/get-alert';
import type { AlertView } from '@/lib/alerts/list-alerts';
import { hasRole } from '@/lib/auth/roles';
import { AppError } from '@/lib/http/errors';
import { CHANNEL_TYPE_LABELS } from '@/lib/notifications/channels.schema';
import { listAlertNotifications, type NotificationHistoryItem } from '@/lib/notifications/notification-history';
import { AlertActions } from '../alert-actions';

/** One read per request, shared by the metadata and the page. */
const loadAlert = cache(async (id: string): Promise<AlertView> => {
  try {
    return await getAlertOrThrow(id);
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') notFound();
    throw error;
  }
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  await requireSignedIn();
  return { title: alertKindLabel((await loadAlert((await params).id)).kind) };
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-3 sm:gap-4">
      <dt className="text-sm text-slate-500">{label}</dt>
      <dd className="text-sm text-slate-900 sm:col-span-2">{children}</dd>
    </div>
  );
}

function Target({ alert }: { alert: AlertView }) {
  if (alert.destination) {
    return (
      <Link href={`/destinations/${alert.destination.id}`} className="font-medium text-indigo-700 hover:underline">
        Destination {alert.destination.name}
      </Link>
    );
  }
  if (alert.source) {
    return (
      <Link href={`/sources/${alert.source.id}`} className="font-medium text-indigo-700 hover:underline">
        Source {alert.source.name}
      </Link>
    );
  }
  if (alert.channel) {
    return (
      <Link href="/settings/notifications" className="font-medium text-indigo-700 hover:underline">
        Notification channel {alert.channel.name}
      </Link>
    );
  }
  return <span className="text-slate-500">—</span>;
}

function NotificationStatus({ item }: { item: NotificationHistoryItem }) {
  if (item.status === 'sent') return <Badge tone="green">Sent</Badge>;
  if (item.status === 'failed') return <Badge tone="red">Failed</Badge>;
  if (item.status === 'suppressed') return <Badge>Not sent</Badge>;
  return <Badge tone="amber">{item.attempts > 0 ? 'Retrying' : 'Queued'}</Badge>;
}

export default async function AlertPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireSignedIn();
  const alert = await loadAlert(id);
  const notifications = await listAlertNotifications(id);
  const canAct = hasRole(principal.role, 'SUPPORT');
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/alerts?status=all" className="font-medium text-indigo-700 hover:underline">
          ← All alerts
        </Link>
      </p>
      <PageHeader
        title={alertKindLabel(alert.kind)}
        description={alert.message}
        actions={canAct ? <AlertActions id={alert.id} status={alert.status} subject={alertKindLabel(alert.kind)} /> : undefined}
      />
      <div className="space-y-6">
        <Card title="What happened">
          <dl className="divide-y divide-slate-100" data-testid="alert-facts">
            <Row label="Kind">
              <AlertKindBadge kind={alert.kind} />
            </Row>
            <Row label="Status">
              <AlertStatusBadge status={alert.status} />
            </Row>
            <Row label="About">
              <Target alert={alert} />
            </Row>
            <Row label="Occurrences">{new Intl.NumberFormat('en').format(alert.count)}</Row>
            <Row label="Raised">
              <LocalDateTime value={alert.createdAt} seconds /> (<RelativeTime value={alert.createdAt} />)
            </Row>
            {alert.acknowledgedAt ? (
              <Row label="Acknowledged">
                <LocalDateTime value={alert.acknowledgedAt} seconds /> by {alert.acknowledgedBy}
              </Row>
            ) : null}
            {alert.resolvedAt ? (
              <Row label="Resolved">
                <LocalDateTime value={alert.resolvedAt} seconds /> {alert.resolvedBy === 'system' ? 'automatically' : `by ${alert.resolvedBy}`}
                {alert.resolution ? <span className="block text-slate-500">{alert.resolution}</span> : null}
              </Row>
            ) : null}
          </dl>
        </Card>
        <Card
          title="Notifications"
          description="Each subscribed channel is told once when the alert is raised and once when it resolves; failed sends are retried with backoff."
        >
          {notifications.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="notifications-empty">
              No channel was subscribed to this alert when it changed.{' '}
              {hasRole(principal.role, 'ADMIN') ? (
                <Link href="/settings/notifications" className="font-medium text-indigo-700 hover:underline">
                  Set up notifications
                </Link>
              ) : null}
            </p>
          ) : (
            <Table caption="Notifications of this alert, oldest first" bleed>
              <THead>
                <Th>Channel</Th>
                <Th>Event</Th>
                <Th>Status</Th>
                <Th align="right">Attempts</Th>
                <Th>Last error</Th>
                <Th>Sent</Th>
              </THead>
              <TBody>
                {notifications.map((item) => (
                  <tr key={item.id} data-testid={`notification-${item.id}`}>
                    <Td>
                      <div className="font-medium text-slate-900">{item.channel.name}</div>
                      <div className="text-xs text-slate-500">{CHANNEL_TYPE_LABELS[item.channel.type]}</div>
                    </Td>
                    <Td>{item.event === 'raised' ? 'Raised' : item.event === 'resolved' ? 'Resolved' : 'Test'}</Td>
                    <Td>
                      <NotificationStatus item={item} />
                      {item.digestSize && item.digestSize > 1 ? <div className="mt-1 text-xs text-slate-500">in a digest of {item.digestSize}</div> : null}
                    </Td>
                    <Td align="right">{item.attempts}</Td>
                    <Td className="max-w-xs break-words text-xs text-red-700">{item.lastError ?? <span className="text-slate-500">—</span>}</Td>
                    <Td className="whitespace-nowrap text-slate-600">
                      {item.sentAt ? (
                        <RelativeTime value={item.sentAt} />
                      ) : item.nextAttemptAt ? (
                        <span>
                          next try <RelativeTime value={item.nextAttemptAt} />
                        </span>
                      ) : (
                        <span className="text-slate-500">—</span>
                      )}
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
