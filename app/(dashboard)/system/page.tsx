import type { Metadata } from 'next';
import { AutoRefresh } from '@/components/events/auto-refresh';
import { RelativeTime } from '@/components/relative-time';
import { WorkerStateBadge } from '@/components/system/worker-state-badge';
import { Card, Notice, PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TBody, THead, Table, Td, Th } from '@/components/ui/table';
import { requireSignedIn } from '@/app/_server/page-guard';
import { loadWorkers, WORKER_GONE_AFTER_MS } from '@/lib/worker/worker-registry';

export const metadata: Metadata = { title: 'System' };

const count = new Intl.NumberFormat('en');

export default async function SystemPage() {
  await requireSignedIn();
  const workers = await loadWorkers();
  const live = workers.filter((worker) => worker.state === 'live');
  const gone = workers.filter((worker) => worker.state === 'gone');

  return (
    <>
      <PageHeader
        title="System"
        description={`The delivery workers sharing this database. Each one records a heartbeat every 2 seconds; one silent for ${WORKER_GONE_AFTER_MS / 1000} seconds is gone, and the deliveries it held are taken over by the others.`}
      />
      {/* Heartbeats arrive every 2 s: refresh often enough that "gone" shows up within seconds. */}
      <AutoRefresh active intervalMs={5_000} />
      <div className="space-y-4">
        {live.length === 0 ? (
          <Notice tone="error">No live worker: nothing is being delivered. Start one with npm start or npm run worker.</Notice>
        ) : gone.length > 0 ? (
          <Notice tone="info">
            {gone.length === 1 ? 'A worker stopped' : `${gone.length} workers stopped`} sending heartbeats without shutting down (killed, crashed, or cut off
            from the database). What it held in flight is retried by the live workers, each lost lease counted as an attempt.
          </Notice>
        ) : null}
        <Card
          title="Workers"
          description={`${count.format(live.length)} live${workers.length > live.length ? `, ${count.format(workers.length - live.length)} gone or stopped (kept for a day)` : ''}.`}
        >
          {workers.length === 0 ? (
            <EmptyState
              compact
              title="No worker has run yet"
              description="A worker appears here when it starts: npm start runs one, and npm run worker adds more."
            />
          ) : (
            <Table bleed caption="Delivery workers, most recently seen first">
              <THead>
                <Th>Host</Th>
                <Th align="right">PID</Th>
                <Th>Started</Th>
                <Th>Last heartbeat</Th>
                <Th align="right">In flight</Th>
                <Th>State</Th>
              </THead>
              <TBody>
                {workers.map((worker) => (
                  <tr key={worker.id} data-testid="worker-row" data-state={worker.state} className={worker.state === 'gone' ? 'bg-amber-50/60' : undefined}>
                    <Td>
                      <div className="font-medium text-slate-900">{worker.host}</div>
                      <div className="font-mono text-xs text-slate-500" title="Worker id, as in each attempt's record">
                        {worker.id}
                      </div>
                    </Td>
                    <Td align="right" data-testid="worker-pid">
                      {worker.pid}
                    </Td>
                    <Td className="whitespace-nowrap text-slate-600">
                      <RelativeTime value={worker.startedAt} />
                    </Td>
                    <Td className="whitespace-nowrap text-slate-600">
                      <RelativeTime value={worker.heartbeatAt} />
                    </Td>
                    <Td align="right">{worker.state === 'live' ? count.format(worker.inFlight) : <span className="text-slate-500">–</span>}</Td>
                    <Td>
                      <WorkerStateBadge state={worker.state} />
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
