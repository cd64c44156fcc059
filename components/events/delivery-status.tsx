import { Badge } from '@/components/ui/card';

type Tone = 'slate' | 'green' | 'red' | 'amber' | 'indigo';

export const DELIVERY_STATUS: Record<string, { label: string; tone: Tone }> = {
  succeeded: { label: 'Succeeded', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  pending: { label: 'Pending', tone: 'amber' },
  in_flight: { label: 'Sending', tone: 'indigo' },
  paused: { label: 'Held', tone: 'slate' },
  cancelled: { label: 'Cancelled', tone: 'slate' },
};

/** The status filter's options: every status, and `held`, the pending deliveries an open circuit holds (a view, not a status). */
export const DELIVERY_STATUS_FILTER_OPTIONS: Record<string, { label: string }> = {
  ...DELIVERY_STATUS,
  held: { label: 'Held by the circuit' },
};

/** The order a summary lists statuses in: what needs attention first. */
const ORDER = ['failed', 'pending', 'in_flight', 'paused', 'cancelled', 'succeeded'];

export function DeliveryStatusBadge({ status }: { status: string }) {
  const known = DELIVERY_STATUS[status] ?? { label: status, tone: 'slate' as const };
  return <Badge tone={known.tone}>{known.label}</Badge>;
}

/**
 * Where an event got to: the latest delivery to each destination, counted by status ("2
 * succeeded", "1 failed"). The title lists each destination for a closer look.
 */
export function DeliverySummary({ destinations }: { destinations: { name: string; status: string }[] }) {
  if (destinations.length === 0) {
    return (
      <span className="text-xs text-slate-500" title="No route matched this event, so it was not forwarded">
        No destination
      </span>
    );
  }
  const counts = new Map<string, number>();
  for (const destination of destinations) counts.set(destination.status, (counts.get(destination.status) ?? 0) + 1);
  const statuses = [...counts.keys()].sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  const title = destinations.map((destination) => `${destination.name}: ${DELIVERY_STATUS[destination.status]?.label ?? destination.status}`).join('\n');
  return (
    <span className="flex flex-wrap gap-1" title={title}>
      {statuses.map((status) => {
        const known = DELIVERY_STATUS[status] ?? { label: status, tone: 'slate' as const };
        return (
          <Badge key={status} tone={known.tone}>
            {counts.get(status)! > 1 || destinations.length > 1 ? `${counts.get(status)} ${known.label.toLowerCase()}` : known.label}
          </Badge>
        );
      })}
      <span className="sr-only">{title.replaceAll('\n', '; ')}</span>
    </span>
  );
}
