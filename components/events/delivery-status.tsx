import { Badge } from '@/components/ui/card';
import { UpcomingTime } from './upcoming-time';

type Tone = 'slate' | 'green' | 'red' | 'amber' | 'indigo';

export const DELIVERY_STATUS: Record<string, { label: string; tone: Tone }> = {
  succeeded: { label: 'Succeeded', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  pending: { label: 'Pending', tone: 'amber' },
  in_flight: { label: 'Sending', tone: 'indigo' },
  // Its destination is paused: the API value stays `paused`, and "Held" alone read like "held by the circuit".
  paused: { label: 'Paused', tone: 'slate' },
  cancelled: { label: 'Cancelled', tone: 'slate' },
};

/** `held` is a view of `pending`, not a status: a pending delivery an open circuit holds. */
const HELD = { label: 'Held by the circuit', tone: 'amber' as const };

/** The status filter's options: every status, and `held`, the pending deliveries an open circuit holds (a view, not a status). */
export const DELIVERY_STATUS_FILTER_OPTIONS: Record<string, { label: string }> = {
  ...DELIVERY_STATUS,
  held: HELD,
};

/** The order a summary lists statuses in: what needs attention first. */
const ORDER = ['failed', 'held', 'pending', 'in_flight', 'paused', 'cancelled', 'succeeded'];

export function DeliveryStatusBadge({ status }: { status: string }) {
  const known = DELIVERY_STATUS[status] ?? { label: status, tone: 'slate' as const };
  return <Badge tone={known.tone}>{known.label}</Badge>;
}

/** A time for a tooltip: the same text on the server and in the browser (the list is server-rendered first). */
const tooltipTime = (value: string | Date) => `${new Date(value).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

export interface SummaryDestination {
  name: string;
  status: string;
  /** Set while an open circuit holds the (pending) delivery, as the events list API reports it. */
  heldByCircuit?: { nextProbeAt: string | Date } | null;
}

/**
 * Where an event got to: the latest delivery to each destination, counted by status ("2
 * succeeded", "1 failed"). A pending delivery an open circuit holds counts as "held by the
 * circuit", with the next probe under the badges and in the title, as event detail and the failed
 * queue say: "Pending" promised a send that only the probe will make. The title lists each
 * destination for a closer look.
 */
export function DeliverySummary({ destinations }: { destinations: SummaryDestination[] }) {
  if (destinations.length === 0) {
    return (
      <span className="text-xs text-slate-500" title="No route matched this event, so it was not forwarded">
        No destination
      </span>
    );
  }
  const shown = destinations.map((destination) => {
    const hold = destination.status === 'pending' ? (destination.heldByCircuit ?? null) : null;
    return { name: destination.name, key: hold ? 'held' : destination.status, hold };
  });
  const labelOf = (key: string) => (key === 'held' ? HELD : (DELIVERY_STATUS[key] ?? { label: key, tone: 'slate' as const }));
  const counts = new Map<string, number>();
  for (const entry of shown) counts.set(entry.key, (counts.get(entry.key) ?? 0) + 1);
  const statuses = [...counts.keys()].sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  const title = shown
    .map((entry) => `${entry.name}: ${labelOf(entry.key).label}${entry.hold ? `, next probe at ${tooltipTime(entry.hold.nextProbeAt)}` : ''}`)
    .join('\n');
  // The soonest probe among the held ones: when something can next get through.
  const nextProbe = shown.flatMap((entry) => (entry.hold ? [new Date(entry.hold.nextProbeAt)] : [])).sort((a, b) => a.getTime() - b.getTime())[0];
  return (
    <span className="flex flex-wrap items-center gap-1" title={title} data-testid="delivery-summary">
      {statuses.map((status) => {
        const known = labelOf(status);
        return (
          <Badge key={status} tone={known.tone}>
            {counts.get(status)! > 1 || destinations.length > 1 ? `${counts.get(status)} ${known.label.toLowerCase()}` : known.label}
          </Badge>
        );
      })}
      {nextProbe ? (
        <span className="basis-full text-xs text-amber-800" data-testid="held-next-probe" aria-hidden="true">
          next probe <UpcomingTime value={nextProbe} dueText="due now" />
        </span>
      ) : null}
      <span className="sr-only">{title.replaceAll('\n', '; ')}</span>
    </span>
  );
}
