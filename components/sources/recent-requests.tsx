import Link from 'next/link';
import { RelativeTime } from '@/components/relative-time';
import { Badge } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TBody, THead, Table, Td, Th } from '@/components/ui/table';
import type { RecentRequest } from '@/lib/sources/source-stats';
import { RejectionReasonBadge } from './badges';
import { LocalDateTime } from './date-time';

const bytes = new Intl.NumberFormat('en', { style: 'unit', unit: 'byte', unitDisplay: 'narrow', notation: 'compact' });

function DeliverySummary({ deliveries }: { deliveries: Extract<RecentRequest, { kind: 'accepted' }>['deliveries'] }) {
  const parts = [
    { count: deliveries.succeeded ?? 0, text: 'delivered', tone: 'green' as const },
    { count: (deliveries.pending ?? 0) + (deliveries.in_flight ?? 0), text: 'pending', tone: 'slate' as const },
    { count: deliveries.paused ?? 0, text: 'held', tone: 'amber' as const },
    { count: deliveries.failed ?? 0, text: 'failed', tone: 'red' as const },
  ].filter((part) => part.count > 0);
  if (parts.length === 0) return <span className="text-slate-500">No route matched</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {parts.map((part) => (
        <Badge key={part.text} tone={part.tone}>
          {part.count} {part.text}
        </Badge>
      ))}
    </span>
  );
}

/**
 * A source's latest requests, accepted and rejected together in time order, so "why did my
 * webhook not arrive?" is answered on one screen. Accepted events link to the event page.
 */
export function RecentRequests({ requests, secretHints }: { requests: RecentRequest[]; secretHints: Record<string, string> }) {
  if (requests.length === 0) {
    return (
      <EmptyState
        icon="inbox"
        compact
        title="No requests yet"
        description="Point the provider at the ingest URL above, or press “Send test event”. Accepted and rejected requests both show up here."
      />
    );
  }
  return (
    <Table bleed caption="Recent requests, newest first">
      <THead>
        <Th>Received</Th>
        <Th>Outcome</Th>
        <Th>Event type or reason</Th>
        <Th>Deliveries</Th>
        <Th>From</Th>
        <Th align="right" className="hidden xl:table-cell">
          Size
        </Th>
      </THead>
      <TBody>
        {requests.map((request) => (
          <tr
            key={`${request.kind}-${request.id}`}
            data-testid={`request-${request.kind}`}
            className={request.kind === 'rejected' ? 'bg-red-50/40' : undefined}
          >
            <Td className="whitespace-nowrap">
              <RelativeTime value={request.receivedAt} />
              <div className="text-xs text-slate-500">
                <LocalDateTime value={request.receivedAt} seconds />
              </div>
            </Td>
            <Td className="whitespace-nowrap">
              {request.kind === 'accepted' ? (
                <div className="flex flex-col items-start gap-1">
                  <Badge tone="green">Accepted</Badge>
                  {request.verification === 'unverified' ? <span className="text-xs text-amber-700">unverified</span> : null}
                </div>
              ) : (
                <div className="flex flex-col items-start gap-1">
                  <RejectionReasonBadge reason={request.reason} />
                  <span className="text-xs text-slate-500">HTTP {request.status}</span>
                </div>
              )}
            </Td>
            <Td className="max-w-[13rem] xl:max-w-xs">
              {request.kind === 'accepted' ? (
                <>
                  <Link
                    href={`/events/${request.id}`}
                    className="block break-all font-mono text-sm text-indigo-700 hover:underline"
                    data-testid="event-link"
                    title={request.eventType ?? undefined}
                  >
                    {request.eventType ?? <span className="italic text-slate-500">no type</span>}
                  </Link>
                  {request.matchedSecretId && secretHints[request.matchedSecretId] ? (
                    <div className="text-xs text-slate-500">signed with {secretHints[request.matchedSecretId]}</div>
                  ) : null}
                </>
              ) : (
                <span className="block truncate text-slate-600" title={request.detail ?? undefined}>
                  {request.detail ?? '–'}
                </span>
              )}
            </Td>
            <Td>{request.kind === 'accepted' ? <DeliverySummary deliveries={request.deliveries} /> : <span className="text-slate-500">–</span>}</Td>
            <Td className="whitespace-nowrap font-mono text-xs text-slate-600">{request.sourceIp ?? '–'}</Td>
            <Td align="right" className="hidden whitespace-nowrap text-slate-600 xl:table-cell">
              {bytes.format(request.size)}
            </Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
