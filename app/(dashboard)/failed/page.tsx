import type { Metadata } from 'next';
import Link from 'next/link';
import { formatCount } from '@/components/events/format';
import { ListFilters } from '@/components/events/list-filters';
import { firstParam, isRangePreset, RANGE_PRESETS, resolveRange } from '@/components/events/time-range';
import { FailedQueue, type GroupJson } from '@/components/failed/failed-queue';
import { Card, Notice, PageHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { isUuid } from '@/lib/db/ids';
import { listFailedGroups } from '@/lib/deliveries/failed-groups';
import { failedFilterSchema, MAX_GROUPS } from '@/lib/deliveries/failed.schema';
import { listFilterOptions } from '@/lib/deliveries/filter-options';
import { AppError } from '@/lib/http/errors';
import { AutoRefresh } from '@/components/events/auto-refresh';
import { HeldByCircuitPanel, type HeldByCircuitJson } from '@/components/failed/held-by-circuit';
import { listHeldByCircuit } from '@/lib/deliveries/held-by-circuit';
import {
  cancelReplayAction,
  countMatchingAction,
  listGroupDeliveriesAction,
  probeNowAction,
  replayGroupAction,
  replayOutcomeAction,
  replaySelectedAction,
  startReplayAction,
} from './actions';

export const metadata: Metadata = { title: 'Failed deliveries' };

const FILTER_KEYS = ['sourceId', 'destinationId', 'range', 'from', 'to'] as const;

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200">
      <p className="text-xs font-medium text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900" data-testid={testId}>
        {value}
      </p>
    </div>
  );
}

/**
 * The support staff's work queue: deliveries whose retries ran out, grouped by destination and
 * error (lib/deliveries/failed-groups.ts). Filters live in the URL; so does a running bulk replay
 * (`replay=<id>`), so its progress survives a reload and can be shared.
 */
export default async function FailedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const principal = await requireSignedIn();
  const canAct = hasRole(principal.role, 'SUPPORT');
  const params = await searchParams;
  const values = Object.fromEntries(FILTER_KEYS.map((key) => [key, firstParam(params[key])]).filter(([, value]) => value)) as Partial<
    Record<(typeof FILTER_KEYS)[number], string>
  >;
  const replayParam = firstParam(params.replay);
  const replayId = replayParam && isUuid(replayParam) ? replayParam : null;

  const filter = { sourceId: values.sourceId, destinationId: values.destinationId, ...resolveRange(values) };
  const parsed = failedFilterSchema.safeParse(Object.fromEntries(Object.entries(filter).filter(([, value]) => value)));
  const options = await listFilterOptions();

  let result: Awaited<ReturnType<typeof listFailedGroups>> = { groups: [], total: 0, groupCount: 0, destinationCount: 0 };
  let problem: string | null = parsed.success ? null : (parsed.error.issues[0]?.message ?? 'These filters are not valid');
  if (parsed.success) {
    try {
      result = await listFailedGroups(parsed.data);
    } catch (error) {
      if (!(error instanceof AppError) || error.status >= 500) throw error;
      problem = error.message;
    }
  }
  const held = parsed.success
    ? (JSON.parse(JSON.stringify(await listHeldByCircuit({ destinationId: parsed.data.destinationId, sourceId: parsed.data.sourceId }))) as HeldByCircuitJson[])
    : [];
  const groups = JSON.parse(JSON.stringify(result.groups)) as GroupJson[];
  const queueFilter = parsed.success ? (JSON.parse(JSON.stringify(parsed.data)) as Record<string, string>) : {};
  const filterQuery = new URLSearchParams(Object.entries(values) as [string, string][]).toString();
  const filtered = Object.keys(values).length > 0;

  const summary = [
    values.destinationId ? `to ${options.destinations.find((option) => option.id === values.destinationId)?.name ?? 'one destination'}` : 'to any destination',
    values.sourceId ? `from ${options.sources.find((option) => option.id === values.sourceId)?.name ?? 'one source'}` : null,
    isRangePreset(values.range)
      ? `created in the ${RANGE_PRESETS[values.range].label.toLowerCase()}`
      : values.from || values.to
        ? 'created in the chosen time range'
        : null,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <>
      <PageHeader
        title="Failed deliveries"
        description="Deliveries that used up their retry schedule, grouped by destination and error. Fix the receiver, then replay them from here; a replay that fails again comes back to this queue."
      />
      <ListFilters
        key={filterQuery}
        action="/failed"
        label="Filter failed deliveries"
        values={values}
        sources={options.sources}
        destinations={options.destinations}
        fields={{}}
      />
      {problem ? (
        <div className="mb-4">
          <Notice tone="error">
            {problem}.{' '}
            <Link href="/failed" className="font-semibold underline">
              Clear filters
            </Link>
          </Notice>
        </div>
      ) : null}

      {/* An inbox: the queue re-renders every 5 s while the tab is visible (docs/dashboard.md). */}
      <AutoRefresh active intervalMs={5_000} />
      <HeldByCircuitPanel held={held} canAct={canAct} probe={probeNowAction} />

      <div className="mb-4 grid gap-3 sm:grid-cols-3">
        <Stat label="Failed deliveries" value={formatCount(result.total)} testId="failed-total" />
        <Stat label="Groups" value={formatCount(result.groupCount)} />
        <Stat label="Destinations affected" value={formatCount(result.destinationCount)} />
      </div>

      {problem ? null : (
        // Rendered whether or not anything is left, at the same place, so that a replay's outcome
        // and progress survive the queue emptying (it empties as soon as the replays are created).
        <FailedQueue
          groups={groups}
          total={result.total}
          filter={queueFilter}
          filterSummary={summary}
          canAct={canAct}
          replayId={replayId}
          actions={{
            list: listGroupDeliveriesAction,
            count: countMatchingAction,
            start: startReplayAction,
            replaySelected: replaySelectedAction,
            cancel: cancelReplayAction,
            replayGroup: replayGroupAction,
            outcome: replayOutcomeAction,
          }}
        />
      )}
      {result.total === 0 && !problem ? (
        <Card>
          <EmptyState
            title={filtered ? 'Nothing failed that matches these filters' : 'No failed deliveries'}
            description={
              filtered
                ? 'Every delivery these filters cover got through, or was replayed since. Widen the time range or clear the filters to see the whole queue.'
                : 'Every delivery got through or is still being retried. When a destination keeps failing until its retry schedule runs out, its deliveries land here to be replayed once it is fixed.'
            }
            action={
              filtered ? (
                <Link href="/failed" className="text-sm font-semibold text-indigo-700 hover:underline">
                  Clear filters
                </Link>
              ) : (
                <Link href="/events?status=pending" className="text-sm font-semibold text-indigo-700 hover:underline">
                  See deliveries still being retried →
                </Link>
              )
            }
          />
        </Card>
      ) : !problem && result.groupCount > groups.length ? (
        <p className="mt-3 text-sm text-slate-500">
          Showing the {formatCount(MAX_GROUPS)} largest of {formatCount(result.groupCount)} groups; filter by destination or time to see the rest. &quot;Replay
          all&quot; covers every group.
        </p>
      ) : null}
    </>
  );
}
