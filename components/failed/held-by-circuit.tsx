'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { formatCount, plural } from '@/components/events/format';
import { GatedButton } from '@/components/events/replay-controls';
import { UpcomingTime } from '@/components/events/upcoming-time';
import type { ActionResult } from '@/lib/http/action-result';

export interface HeldByCircuitJson {
  destination: { id: string; name: string };
  count: number;
  capped: boolean;
  nextProbeAt: string;
  consecutiveFailures: number;
}

type ProbeAction = (input: { id: string }) => Promise<ActionResult<{ id: string; nextProbeAt: string }>>;

const NEEDS_SUPPORT = 'Asking for a probe needs the SUPPORT or ADMIN role.';

/**
 * Deliveries an open circuit holds, per destination: not failed (their schedule is not used up),
 * but nothing goes out except the next probe. Shown above the failures because they are where a
 * broken receiver's traffic piles up; "Probe now" (SUPPORT and ADMIN, checked on the server) sends
 * the probe at once once the receiver is fixed, instead of after the cool-down.
 */
export function HeldByCircuitPanel({ held, canAct, probe }: { held: HeldByCircuitJson[]; canAct: boolean; probe: ProbeAction }) {
  const router = useRouter();
  const [pending, startProbe] = useTransition();
  // Outcomes of "Probe now", kept outside the rows: a probe that gets through closes the circuit,
  // and the refreshed list then drops the row (or the whole list) that the outcome belongs to.
  const [notes, setNotes] = useState<{ id: string; tone: 'ok' | 'error'; text: string }[]>([]);
  if (held.length === 0 && notes.length === 0) return null;
  const doProbe = (destination: { id: string; name: string }) =>
    startProbe(async () => {
      const answer = await probe({ id: destination.id });
      const note = answer.ok
        ? { id: destination.id, tone: 'ok' as const, text: `Probe requested for ${destination.name}: the next delivery goes out now.` }
        : { id: destination.id, tone: 'error' as const, text: `${destination.name}: ${answer.error.message}` };
      setNotes((current) => [...current.filter((entry) => entry.id !== destination.id), note]);
      router.refresh();
    });
  return (
    <section aria-labelledby="held-by-circuit-title" className="mb-4 rounded-lg bg-amber-50 p-4 ring-1 ring-amber-200" data-testid="held-by-circuit-panel">
      <h2 id="held-by-circuit-title" className="text-sm font-semibold text-amber-900">
        Held by the circuit
      </h2>
      <p className="mt-0.5 text-xs text-amber-900">
        These destinations failed too often in a row, so their circuit is open: their deliveries wait (they are not failed) and only a probe goes out.
      </p>
      <ul className="mt-3 divide-y divide-amber-200">
        {held.map((entry) => {
          return (
            <li key={entry.destination.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid={`held-${entry.destination.id}`}>
              <div className="text-sm text-slate-800">
                <span className="font-semibold">{entry.destination.name}</span>:{' '}
                <span data-testid="held-count">{entry.capped ? `${formatCount(entry.count)}+ deliveries` : plural(entry.count, 'delivery', 'deliveries')}</span>{' '}
                held by the circuit, next probe at <UpcomingTime value={entry.nextProbeAt} dueText="any moment now (due)" />
                <span className="block text-xs text-slate-600">{plural(entry.consecutiveFailures, 'failure', 'failures')} in a row</span>
              </div>
              <GatedButton allowed={canAct} reason={NEEDS_SUPPORT} variant="secondary" disabled={pending} onClick={() => doProbe(entry.destination)}>
                Probe now
              </GatedButton>
            </li>
          );
        })}
      </ul>
      {held.length === 0 ? <p className="mt-2 text-sm text-amber-900">Nothing is held by a circuit any more.</p> : null}
      {notes.map((note) => (
        <p
          key={note.id}
          role={note.tone === 'error' ? 'alert' : 'status'}
          data-testid={`probe-outcome-${note.id}`}
          className={`mt-2 text-xs ${note.tone === 'error' ? 'text-red-700' : 'text-emerald-800'}`}
        >
          {note.text}
        </p>
      ))}
    </section>
  );
}
