/**
 * The delivery state machine: every way a delivery's status may change, by name. Each writer in
 * this folder performs one or more of these transitions, and only these: its SQL sets `to` and
 * guards on `from`, both read from this table, so the table is the whole story (docs/delivery.md).
 *
 * `paused` is not stored: a delivery is paused while it is `pending` and its destination is paused
 * (derivedStatus). So `hold` and `release` write nothing; pausing or resuming the destination is
 * the transition, and there is no second copy to keep in step.
 */
import type { DeliveryStatusName } from '@/lib/list-filters/list-filter.schema';

/** The statuses the `deliveries.status` column holds. */
export type StoredDeliveryStatus = Exclude<DeliveryStatusName, 'paused'>;

export interface Transition {
  /** Statuses a delivery may be in for the transition; empty for a new row. */
  from: readonly DeliveryStatusName[];
  to: DeliveryStatusName;
  /** False when the status is derived from the destination and nothing is written. */
  stored: boolean;
  why: string;
}

export const DELIVERY_TRANSITIONS = {
  create: { from: [], to: 'pending', stored: true, why: 'ingest fans an event out to a route, or a replay makes a new delivery' },
  claim: { from: ['pending'], to: 'in_flight', stored: true, why: 'a worker takes a due delivery under a lease (hookyard_claim_deliveries)' },
  give_back: {
    from: ['in_flight'],
    to: 'pending',
    stored: true,
    why: 'unsent: its destination was paused or disabled after the claim, it missed its rate deadline, or its worker stopped',
  },
  succeed: { from: ['in_flight'], to: 'succeeded', stored: true, why: 'the receiver answered 2xx' },
  schedule_retry: { from: ['in_flight'], to: 'pending', stored: true, why: 'the attempt failed (or its lease was lost) and the schedule has another attempt' },
  exhaust: { from: ['in_flight'], to: 'failed', stored: true, why: 'the attempt failed (or its lease was lost) and the schedule is used up' },
  retry: { from: ['pending', 'failed', 'cancelled'], to: 'pending', stored: true, why: 'someone asked to send it again now' },
  cancel: { from: ['pending', 'paused'], to: 'cancelled', stored: true, why: 'its bulk replay was cancelled before it was sent' },
  skip: { from: ['in_flight'], to: 'cancelled', stored: true, why: "its route's transform returned null: this event is not for this destination" },
  hold: { from: ['pending'], to: 'paused', stored: false, why: 'its destination is paused' },
  release: { from: ['paused'], to: 'pending', stored: false, why: 'its destination was resumed' },
} as const satisfies Record<string, Transition>;

export type TransitionName = keyof typeof DELIVERY_TRANSITIONS;

/** What a transition writes. */
export function to<T extends TransitionName>(name: T): (typeof DELIVERY_TRANSITIONS)[T]['to'] {
  return DELIVERY_TRANSITIONS[name].to;
}

/** The stored statuses a transition may start from, for a `status = ANY(…)` guard. */
export function storedFrom(name: TransitionName): StoredDeliveryStatus[] {
  const from: readonly DeliveryStatusName[] = DELIVERY_TRANSITIONS[name].from;
  // A paused delivery is stored as pending.
  return [...new Set(from.map((status) => (status === 'paused' ? 'pending' : status)))] as StoredDeliveryStatus[];
}

/**
 * The same guard as SQL text, `IN ('in_flight')`, for statements on the hot paths: a literal lets
 * Postgres plan the statement for these statuses instead of for any array a parameter might hold
 * (with `= ANY($n)` on the record and give-back statements, the delivery bench measured 8% below
 * the previous code in six alternating pairs; with literals, level). The statuses come from the
 * table above, never from input.
 */
export function storedFromSql(name: TransitionName): string {
  const statuses = storedFrom(name);
  if (!statuses.every((status) => /^[a-z_]+$/.test(status))) throw new Error(`Unexpected status in ${name}`);
  return `IN (${statuses.map((status) => `'${status}'`).join(', ')})`;
}

export function canTransition(name: TransitionName, status: DeliveryStatusName): boolean {
  return (DELIVERY_TRANSITIONS[name].from as readonly DeliveryStatusName[]).includes(status);
}

/** The status people see: a pending delivery of a paused destination is held. */
export function derivedStatus(stored: string, destinationStatus: string): DeliveryStatusName {
  return stored === 'pending' && destinationStatus === 'paused' ? 'paused' : (stored as DeliveryStatusName);
}

/**
 * Whether an open circuit holds a delivery (the JavaScript twin of delivery-status-sql.ts,
 * `heldUntil`): pending, to an active destination whose circuit is not closed. Returns when the
 * circuit probes next; a time in the past means the probe is due now.
 */
export function circuitHold(
  stored: string,
  destination: { status: string; circuitState: string; circuitRetryAt: Date | null },
  now = new Date(),
): { nextProbeAt: Date } | null {
  if (stored !== 'pending' || destination.status !== 'active' || destination.circuitState === 'closed') return null;
  return { nextProbeAt: destination.circuitRetryAt ?? now };
}
