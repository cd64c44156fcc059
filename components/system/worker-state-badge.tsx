import { Badge } from '@/components/ui/card';
import type { WorkerState } from '@/lib/worker/worker-registry';

const STATES = {
  live: { tone: 'green', label: 'Live' },
  gone: { tone: 'amber', label: 'Gone' },
  stopped: { tone: 'slate', label: 'Stopped' },
} as const;

/** A worker's state: gone (no heartbeat, never said goodbye) is the one that needs a look. */
export function WorkerStateBadge({ state }: { state: WorkerState }) {
  const { tone, label } = STATES[state];
  return (
    <span className="inline-flex items-center gap-1" title={state === 'gone' ? 'It stopped sending heartbeats without stopping cleanly' : undefined}>
      {state === 'gone' ? <span aria-hidden="true">⚠</span> : null}
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}
