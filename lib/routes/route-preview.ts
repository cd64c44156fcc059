/**
 * "Which of this source's recent events would this route have matched?" The route is compiled
 * exactly as the ingest path compiles it (`compileRoute`) and run over the last events' type and
 * stored payload, so the preview and the real fan-out cannot disagree. Each miss says whether
 * the event type or the payload filter ruled it out.
 */
import { z } from 'zod';
import { db } from '@/lib/db/prisma';
import { parseBody } from '@/lib/providers/parse';
import { compileEventTypes, compileFilter, compileRoute } from './route-filter';
import { createRouteSchema } from './routes.schema';

export const PREVIEW_EVENT_LIMIT = 50;

/** What the preview needs: the route's source and its (unsaved) rule, validated like a real route. */
export const routePreviewSchema = createRouteSchema.pick({ sourceId: true, eventTypes: true, filter: true });
export type RoutePreviewInput = z.infer<typeof routePreviewSchema>;

export interface PreviewedEvent {
  id: string;
  receivedAt: Date;
  eventType: string | null;
  matched: boolean;
  /** Why it did not match; null when it matched. */
  missedBy: 'event_type' | 'filter' | null;
}

export interface RoutePreview {
  events: PreviewedEvent[];
  matched: number;
  total: number;
}

/**
 * Form-encoded bodies (Twilio, Slack commands) have no stored JSON payload, but the ingest path
 * routes on their fields; rebuild those the same way. Only events without a payload are read.
 */
async function loadFormPayloads(eventIds: string[]): Promise<Map<string, Record<string, string>>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db().event.findMany({
    where: { id: { in: eventIds }, contentType: { contains: 'x-www-form-urlencoded', mode: 'insensitive' } },
    select: { id: true, body: true, contentType: true },
  });
  const payloads = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const { form } = parseBody(Buffer.from(row.body), row.contentType ?? undefined);
    if (form) payloads.set(row.id, Object.fromEntries(form));
  }
  return payloads;
}

export async function previewRoute(input: RoutePreviewInput, limit = PREVIEW_EVENT_LIMIT): Promise<RoutePreview> {
  const eventTypes = input.eventTypes ?? [];
  const filter = input.filter ?? null;
  const matches = compileRoute({ eventTypes, filter });
  const typeMatches = compileEventTypes(eventTypes);
  const filterMatches = filter === null ? () => true : compileFilter(filter);
  const rows = await db().event.findMany({
    where: { sourceId: input.sourceId },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { id: true, receivedAt: true, eventType: true, payload: true },
  });
  const formPayloads = await loadFormPayloads(rows.filter((row) => row.payload === null).map((row) => row.id));
  const events = rows.map((row): PreviewedEvent => {
    // What the ingest path matched against: the JSON body, else a form body's fields, else nothing.
    const payload = row.payload ?? formPayloads.get(row.id);
    const matched = matches(row.eventType, payload);
    return {
      id: row.id,
      receivedAt: row.receivedAt,
      eventType: row.eventType,
      matched,
      missedBy: matched ? null : !typeMatches(row.eventType) ? 'event_type' : !filterMatches(payload) ? 'filter' : null,
    };
  });
  return { events, matched: events.filter((event) => event.matched).length, total: events.length };
}
