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
  const [notes, setNotes] = useState<Record<string, { tone: 'ok' | 'error'; text: string }>>({});
  if (held.length === 0) return null;
  const doProbe = (id: string) =>
    startProbe(async () => {
      const answer = await probe({ id });
      setNotes((current) => ({
        ...current,
        [id]: answer.ok ? { tone: 'ok', text: 'Probe requested: the next delivery goes out now.' } : { tone: 'error', text: answer.error.message },
      }));
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
          const note = notes[entry.destination.id];
          return (
            <li key={entry.destination.id} className="flex flex-wrap items-center justify-between gap-3 py-2" data-testid={`held-${entry.destination.id}`}>
              <div className="text-sm text-slate-800">
                <span className="font-semibold">{entry.destination.name}</span>:{' '}
                <span data-testid="held-count">{entry.capped ? `${formatCount(entry.count)}+ deliveries` : plural(entry.count, 'delivery', 'deliveries')}</span>{' '}
                held by the circuit, next probe at <UpcomingTime value={entry.nextProbeAt} dueText="any moment now (due)" />
                <span className="block text-xs text-slate-600">{plural(entry.consecutiveFailures, 'failure', 'failures')} in a row</span>
                {note ? (
                  <span
                    role={note.tone === 'error' ? 'alert' : 'status'}
                    className={`block text-xs ${note.tone === 'error' ? 'text-red-700' : 'text-emerald-800'}`}
                  >
                    {note.text}
                  </span>
                ) : null}
              </div>
              <GatedButton allowed={canAct} reason={NEEDS_SUPPORT} variant="secondary" disabled={pending} onClick={() => doProbe(entry.destination.id)}>
                Probe now
              </GatedButton>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
