'use client';

import Link from 'next/link';
import { type FormEvent, useCallback, useEffect, useState, useTransition } from 'react';
import { RelativeTime } from '@/components/relative-time';
import { Button } from '@/components/ui/button';
import { Badge, Card, Notice } from '@/components/ui/card';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { RoutePicker } from '@/components/routes/route-picker';
import { TransformField } from '@/components/routes/transform-field';
import { TryTransformPanel } from '@/components/routes/try-transform-panel';
import type { RoutePreview } from '@/lib/routes/route-preview';
import { createRouteAction, deleteRouteAction, previewRouteAction, recentEventsAction, testTransformAction, updateRouteAction } from '../actions';

const TRY_TRANSFORM_ACTIONS = { recentEvents: recentEventsAction, testTransform: testTransformAction };

export interface RouteRow {
  id: string;
  sourceId: string;
  source: { name: string; slug: string; status: string };
  eventTypes: string[];
  filter: unknown;
  /** JavaScript defining transform(event) (docs/transformations.md); null: the event goes out as received. */
  transform: string | null;
  enabled: boolean;
}

export interface SourceChoice {
  id: string;
  name: string;
  slug: string;
  providerLabel: string;
  status: string;
}

const TEXTAREA =
  'block w-full rounded-md border-0 bg-white px-3 py-2 font-mono text-sm text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600';

const FILTER_EXAMPLE = '{\n  "data": { "object": { "amount": { "$gte": 1000 } } }\n}';

function parsePatterns(text: string): string[] {
  return text
    .split(/[\n,]+/)
    .map((pattern) => pattern.trim())
    .filter(Boolean);
}

type ParsedFilter = { ok: true; value: unknown } | { ok: false; message: string };

function parseFilter(text: string): ParsedFilter {
  if (text.trim() === '') return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

type RouteField = 'eventTypes' | 'filter' | 'transform' | 'sourceId';

/**
 * "filter.data.$regex: unknown operator" → { field: 'filter', message: 'data.$regex: unknown operator' };
 * the API's 422 for a transform that does not compile, "transform: SyntaxError: … (line 2)", goes next to the code.
 */
function routeError(message: string): { field: RouteField | null; message: string } {
  const match = /^(?:changes\.)?(eventTypes|filter|transform|sourceId)(?:\.([^:]*))?: (.+)$/s.exec(message);
  if (!match) return { field: null, message };
  const [, field, path, text] = match;
  return {
    field: field as RouteField,
    message: path ? `${field === 'eventTypes' ? `pattern ${Number(path) + 1}` : path}: ${text}` : text!,
  };
}

function PreviewList({ preview, pending, sourceName }: { preview: RoutePreview | null; pending: boolean; sourceName: string }) {
  if (!preview) {
    return <p className="text-sm text-slate-500">{pending ? 'Checking recent events…' : 'Pick a source to preview the rule against its recent events.'}</p>;
  }
  if (preview.total === 0) {
    return (
      <p className="text-sm text-slate-500">
        {sourceName} has no events yet, so there is nothing to preview. Send a test event from the source page, then preview again.
      </p>
    );
  }
  return (
    <div>
      <p className="text-sm font-medium text-slate-800" data-testid="route-preview-summary">
        {preview.matched} of the last {preview.total} events would match.
      </p>
      <ul
        className={`mt-2 max-h-64 divide-y divide-slate-100 overflow-y-auto rounded-md ring-1 ring-slate-200 ${pending ? 'opacity-60' : ''}`}
        aria-label="Preview of recent events"
      >
        {preview.events.map((event) => (
          <li key={event.id} className="flex items-center gap-3 px-3 py-2 text-sm" data-testid={event.matched ? 'preview-matched' : 'preview-missed'}>
            {event.matched ? <Badge tone="green">Match</Badge> : <Badge>No match</Badge>}
            <Link href={`/events/${event.id}`} className="min-w-0 flex-1 truncate font-mono text-xs text-indigo-700 hover:underline">
              {event.eventType ?? <span className="italic text-slate-500">no type</span>}
            </Link>
            <span className="hidden text-xs text-slate-500 sm:inline">
              {event.missedBy === 'event_type' ? 'event type' : event.missedBy === 'filter' ? 'payload filter' : ''}
            </span>
            <span className="w-24 shrink-0 text-right text-xs text-slate-500">
              <RelativeTime value={event.receivedAt} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A destination a route from a source's page can go to. */
export interface DestinationChoice {
  id: string;
  name: string;
  url: string;
  status: string;
}

/** Sorted by name, then slug / URL, so that look-alike names sit together and can be told apart. */
const byName =
  <T extends { name: string }>(detail: (choice: T) => string) =>
  (a: T, b: T) =>
    a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || detail(a).localeCompare(detail(b));

/**
 * Adds or edits a route. From a destination's page the other side is a source (`sources`); from
 * a source's page (`fromSource`) it is a destination (`destinations`). Either picker is sorted
 * and searchable and shows the slug or the URL, since two names can differ only in punctuation.
 */
export function RouteEditor({
  destinationId: fixedDestinationId,
  route,
  sources = [],
  fromSource,
  destinations = [],
  title,
  onClose,
}: {
  destinationId?: string;
  /** Absent when adding a route. */
  route?: RouteRow;
  sources?: SourceChoice[];
  /** Adding from a source's page: its id and name. */
  fromSource?: { id: string; name: string };
  destinations?: DestinationChoice[];
  /** The dialog's title when the page names the route differently (a source's page names its destination). */
  title?: string;
  onClose: () => void;
}) {
  const sortedSources = [...sources].sort(byName((source) => source.slug));
  const sortedDestinations = [...destinations].sort(byName((destination) => destination.url));
  const [sourceId, setSourceId] = useState(route?.sourceId ?? fromSource?.id ?? sortedSources[0]?.id ?? '');
  const [destinationId, setDestinationId] = useState(fixedDestinationId ?? sortedDestinations[0]?.id ?? '');
  const [patterns, setPatterns] = useState(route?.eventTypes.join('\n') ?? '');
  const [filterText, setFilterText] = useState(route?.filter === null || route?.filter === undefined ? '' : JSON.stringify(route.filter, null, 2));
  const [transformText, setTransformText] = useState(route?.transform ?? '');
  const [enabled, setEnabled] = useState(route?.enabled ?? true);
  const [errors, setErrors] = useState<{ sourceId?: string; eventTypes?: string; filter?: string; transform?: string; form?: string }>({});
  const [preview, setPreview] = useState<RoutePreview | null>(null);
  const [saving, startSaving] = useTransition();
  const [previewing, startPreview] = useTransition();
  const sourceName = route?.source.name ?? fromSource?.name ?? sources.find((source) => source.id === sourceId)?.name ?? 'The source';

  const runPreview = useCallback(
    (forSource: string, patternText: string, filterSource: string) => {
      if (!forSource) return;
      const filter = parseFilter(filterSource);
      if (!filter.ok) {
        setErrors((current) => ({ ...current, filter: filter.message }));
        return;
      }
      startPreview(async () => {
        const result = await previewRouteAction({ sourceId: forSource, eventTypes: parsePatterns(patternText), filter: filter.value });
        if (!result.ok) {
          const { field, message } = routeError(result.error.message);
          setErrors(field ? { [field]: message } : { form: message });
          return;
        }
        setErrors((current) => ({ ...current, eventTypes: undefined, filter: undefined }));
        setPreview(result.data);
      });
    },
    [setErrors],
  );

  // Preview once the dialog has painted, so the admin sees what the rule means before saving;
  // changing the source previews again, edits re-run through the Preview button.
  const [initial] = useState({ sourceId, patterns, filterText });
  useEffect(() => {
    const timer = setTimeout(() => runPreview(initial.sourceId, initial.patterns, initial.filterText), 0);
    return () => clearTimeout(timer);
  }, [initial, runPreview]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const filter = parseFilter(filterText);
    if (!filter.ok) return setErrors({ filter: filter.message });
    const eventTypes = parsePatterns(patterns);
    // Empty code means no transform: null removes a saved one.
    const transform = transformText.trim() === '' ? null : transformText;
    startSaving(async () => {
      const result = route
        ? await updateRouteAction({ id: route.id, changes: { eventTypes, filter: filter.value, transform, enabled } })
        : await createRouteAction({ sourceId, destinationId, eventTypes, filter: filter.value, transform, enabled });
      if (!result.ok) {
        const { field, message } = routeError(result.error.message);
        setErrors(field ? { [field]: message } : { form: message });
        return;
      }
      onClose();
    });
  }

  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={title ?? (route ? `Edit route from ${route.source.name}` : 'Add a route')}
      description="Which of the source’s events this destination receives. Both conditions must hold."
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button type="submit" form="route-form" disabled={saving || !sourceId || !destinationId}>
            {saving ? 'Saving…' : route ? 'Save route' : 'Add route'}
          </Button>
        </>
      }
    >
      <form id="route-form" onSubmit={onSubmit} className="space-y-4">
        {errors.form ? <Notice tone="error">{errors.form}</Notice> : null}
        {route ? null : fromSource ? (
          destinations.length === 0 ? (
            <Notice tone="info">Every destination already has a route from this source. Edit one of them on its destination&apos;s page instead.</Notice>
          ) : (
            <Field label="Destination" htmlFor="route-destination">
              <RoutePicker
                id="route-destination"
                kind="destinations"
                value={destinationId}
                onChange={setDestinationId}
                choices={sortedDestinations.map((destination) => ({
                  id: destination.id,
                  label: `${destination.name} — ${destination.url}${destination.status !== 'active' ? ` (${destination.status})` : ''}`,
                }))}
              />
            </Field>
          )
        ) : sources.length === 0 ? (
          <Notice tone="info">Every source already has a route to this destination. Edit one of them instead.</Notice>
        ) : (
          <Field label="Source" htmlFor="route-source">
            <RoutePicker
              id="route-source"
              kind="sources"
              value={sourceId}
              onChange={(value) => {
                setSourceId(value);
                runPreview(value, patterns, filterText);
              }}
              choices={sortedSources.map((source) => ({
                id: source.id,
                label: `${source.name} — ${source.slug} (${source.providerLabel})${source.status !== 'active' ? ' — disabled' : ''}`,
              }))}
            />
            {errors.sourceId ? <p className="text-xs font-medium text-red-700">{errors.sourceId}</p> : null}
          </Field>
        )}
        <Field
          label="Event types"
          htmlFor="route-event-types"
          hint="One pattern per line or comma-separated. * matches one or more characters, dots included: order.* matches order.created and order.item.added. Empty: every event."
        >
          <textarea
            id="route-event-types"
            rows={2}
            value={patterns}
            onChange={(event) => setPatterns(event.target.value)}
            placeholder="payment_intent.*"
            spellCheck={false}
            aria-invalid={errors.eventTypes ? true : undefined}
            aria-describedby={errors.eventTypes ? 'route-event-types-error' : undefined}
            className={`${TEXTAREA} ${errors.eventTypes ? 'ring-red-400' : 'ring-slate-300'}`}
          />
          {errors.eventTypes ? (
            <p id="route-event-types-error" className="text-xs font-medium text-red-700">
              {errors.eventTypes}
            </p>
          ) : null}
        </Field>
        <Field
          label="Payload filter (JSON, optional)"
          htmlFor="route-filter"
          hint={
            <>
              Matched against the body: plain values must be equal; operators{' '}
              <code className="font-mono">$eq $neq $in $nin $gt $gte $lt $lte $exist $startsWith $endsWith $contains $or $and $not</code>.
            </>
          }
        >
          <textarea
            id="route-filter"
            rows={5}
            value={filterText}
            onChange={(event) => setFilterText(event.target.value)}
            placeholder={FILTER_EXAMPLE}
            spellCheck={false}
            aria-invalid={errors.filter ? true : undefined}
            aria-describedby={errors.filter ? 'route-filter-error' : undefined}
            className={`${TEXTAREA} ${errors.filter ? 'ring-red-400' : 'ring-slate-300'}`}
          />
          {errors.filter ? (
            <p id="route-filter-error" role="alert" className="text-xs font-medium text-red-700">
              {errors.filter}
            </p>
          ) : null}
        </Field>
        <TransformField
          value={transformText}
          onChange={(value) => {
            setTransformText(value);
            setErrors((current) => (current.transform ? { ...current, transform: undefined } : current));
          }}
          error={errors.transform}
        />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} className="size-4 accent-indigo-600" />
          Route enabled
        </label>
      </form>
      <section aria-labelledby="route-preview-title" className="rounded-md bg-slate-50 p-3 ring-1 ring-inset ring-slate-200">
        <div className="mb-2 flex items-center justify-between gap-2">
          <h3 id="route-preview-title" className="text-sm font-semibold text-slate-800">
            Preview on {sourceName}’s recent events
          </h3>
          <Button
            variant="secondary"
            className="px-2.5 py-1.5 text-xs"
            disabled={previewing || !sourceId}
            onClick={() => runPreview(sourceId, patterns, filterText)}
          >
            {previewing ? 'Checking…' : 'Preview'}
          </Button>
        </div>
        <div aria-live="polite">
          <PreviewList preview={preview} pending={previewing} sourceName={sourceName} />
        </div>
      </section>
      {sourceId ? <TryTransformPanel sourceId={sourceId} transform={transformText} actions={TRY_TRANSFORM_ACTIONS} /> : null}
    </Dialog>
  );
}

export function RoutesPanel({
  destinationId,
  routes,
  sources,
  canManage,
}: {
  destinationId: string;
  routes: RouteRow[];
  sources: SourceChoice[];
  canManage: boolean;
}) {
  const [editing, setEditing] = useState<RouteRow | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RouteRow | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const routed = new Set(routes.map((route) => route.sourceId));
  const available = sources.filter((source) => !routed.has(source.id));

  return (
    <Card
      title="Routes"
      description="Which sources’ events come here. Each event is forwarded once per matching route’s destination."
      actions={
        canManage && routes.length > 0 ? (
          <Button
            className="shrink-0 whitespace-nowrap"
            onClick={() => setEditing('new')}
            disabled={available.length === 0}
            title={available.length === 0 ? 'Every source already has a route here' : undefined}
          >
            Add route
          </Button>
        ) : null
      }
    >
      {routes.length === 0 ? (
        <EmptyState
          icon="route"
          compact
          title="No routes yet"
          description={
            sources.length === 0
              ? 'Nothing reaches this destination until a source is routed to it. Create a source first.'
              : 'Nothing reaches this destination until a source is routed to it. Add a route, optionally narrowed to some event types or payloads.'
          }
          action={
            canManage ? (
              sources.length === 0 ? (
                <Link href="/sources/new" className="text-sm font-semibold text-indigo-700 hover:underline">
                  Create a source →
                </Link>
              ) : (
                <Button onClick={() => setEditing('new')}>Add route</Button>
              )
            ) : null
          }
        />
      ) : (
        <ul className="-my-2 divide-y divide-slate-100">
          {routes.map((route) => (
            <li key={route.id} className="flex flex-wrap items-start justify-between gap-3 py-3" data-testid={`route-${route.source.slug}`}>
              <div className="min-w-0 space-y-1.5">
                <div className="flex flex-wrap items-center gap-2">
                  <Link href={`/sources/${route.sourceId}`} className="font-medium text-slate-900 hover:text-indigo-700 hover:underline">
                    {route.source.name}
                  </Link>
                  {!route.enabled ? <Badge tone="amber">Off</Badge> : null}
                  {route.source.status !== 'active' ? <Badge tone="amber">Source disabled</Badge> : null}
                </div>
                <div className="flex flex-wrap items-center gap-1.5">
                  {route.eventTypes.length === 0 ? (
                    <Badge>All event types</Badge>
                  ) : (
                    route.eventTypes.map((pattern) => (
                      <code key={pattern} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700">
                        {pattern}
                      </code>
                    ))
                  )}
                </div>
                {route.transform !== null ? (
                  <details className="text-sm">
                    <summary className="cursor-pointer text-xs font-medium text-indigo-700">Transform</summary>
                    <pre className="mt-1 max-w-full overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-200">
                      {route.transform}
                    </pre>
                  </details>
                ) : null}
                {route.filter !== null ? (
                  <details className="text-sm">
                    <summary className="cursor-pointer text-xs font-medium text-indigo-700">Payload filter</summary>
                    <pre className="mt-1 max-w-full overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-200">
                      {JSON.stringify(route.filter, null, 2)}
                    </pre>
                  </details>
                ) : null}
              </div>
              {canManage ? (
                <div className="flex shrink-0 gap-2">
                  <Button
                    variant="secondary"
                    className="px-2.5 py-1.5 text-xs"
                    aria-label={`Edit route from ${route.source.name}`}
                    onClick={() => setEditing(route)}
                  >
                    Edit
                  </Button>
                  <Button
                    variant="danger"
                    className="px-2.5 py-1.5 text-xs"
                    aria-label={`Delete route from ${route.source.name}`}
                    onClick={() => {
                      setDeleteError(null);
                      setDeleting(route);
                    }}
                  >
                    Delete
                  </Button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canManage && editing ? (
        <RouteEditor
          destinationId={destinationId}
          route={editing === 'new' ? undefined : editing}
          sources={editing === 'new' ? available : sources}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {canManage ? (
        <ConfirmDialog
          open={deleting !== null}
          onClose={() => setDeleting(null)}
          title={`Delete the route from ${deleting?.source.name ?? ''}?`}
          description="New events from that source stop coming here. Deliveries already created are kept and still go out."
          confirmLabel="Delete route"
          pending={pending}
          error={deleteError}
          onConfirm={() => {
            const target = deleting;
            if (!target) return;
            startTransition(async () => {
              const result = await deleteRouteAction({ id: target.id, destinationId, sourceId: target.sourceId });
              if (!result.ok) return setDeleteError(result.error.message);
              setDeleting(null);
            });
          }}
        />
      ) : null}
    </Card>
  );
}
