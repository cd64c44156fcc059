/**
 * Applies a route's transform to one claimed delivery, between the claim and the send: it finds
 * the transform of the route from the delivery's source to its destination (cached per
 * destination, like the destination's own config), builds the event the code receives, runs it
 * in the sandbox pool, and turns the answer into the headers and body the send uses, or a skip,
 * or a transform_error. A destination none of whose routes has a transform costs one cache
 * lookup and nothing else.
 *
 * The transform of the route as it is now applies, also to retries and replays: replaying after
 * fixing a transform sends the fixed result.
 */
import { createConfigCache } from '@/lib/db/config-cache';
import { db } from '@/lib/db/prisma';
import type { Sql } from '@/lib/db/sql';
import type { TransformEvent, TransformRun } from './sandbox';
import { transformPool } from './transform-pool';

/** The transformed body is kept with the attempt up to this size (event detail shows it beside the original). */
export const RECORDED_BODY_LIMIT = 256 * 1024;

/** Transforms of the routes into one destination, by source id. */
async function loadRouteTransforms(destinationId: string): Promise<Map<string, string>> {
  const routes = await db().route.findMany({ where: { destinationId, transform: { not: null } }, select: { sourceId: true, transform: true } });
  return new Map(routes.flatMap((route) => (route.transform ? [[route.sourceId, route.transform] as const] : [])));
}

const cache = createConfigCache(loadRouteTransforms);

export function clearRouteTransformCache(): void {
  cache.clear();
}

export type PreparedDelivery =
  | { kind: 'send'; headers: Record<string, string>; body: Buffer; transformed: null }
  | { kind: 'send'; headers: Record<string, string>; body: Buffer; transformed: { bodyChanged: boolean; durationMs: number } }
  | { kind: 'skip'; reason: string }
  | { kind: 'error'; message: string; durationMs: number };

/** The event as a transform sees it: the body parsed when it is JSON, else its text. */
export function transformInput(stored: { headers: Record<string, string>; body: Buffer; eventType: string | null; source: string }): TransformEvent {
  const text = stored.body.toString('utf8');
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the code gets the raw text.
  }
  return { eventType: stored.eventType, source: stored.source, headers: { ...stored.headers }, body };
}

/**
 * What to send for a transform's answer. A body equal to the original goes out as the original
 * bytes (so an untouched body stays byte for byte); a string as is; anything else as JSON, with
 * content-type application/json.
 */
export function outgoingFor(run: TransformRun, input: TransformEvent, original: Buffer): Exclude<PreparedDelivery, { transformed: null }> {
  if (run.kind === 'skip') return { kind: 'skip', reason: "skipped: the route's transform returned null" };
  if (run.kind === 'error') return { kind: 'error', message: run.message, durationMs: Math.round(run.durationMs) };
  const headers = { ...run.event.headers };
  const { body } = run.event;
  const unchanged = typeof body === 'string' ? body === input.body : typeof input.body !== 'string' && JSON.stringify(body) === JSON.stringify(input.body);
  let bytes: Buffer;
  if (unchanged) bytes = original;
  else if (typeof body === 'string') bytes = Buffer.from(body, 'utf8');
  else {
    bytes = Buffer.from(JSON.stringify(body), 'utf8');
    headers['content-type'] = 'application/json';
  }
  return { kind: 'send', headers, body: bytes, transformed: { bodyChanged: !unchanged, durationMs: Math.round(run.durationMs) } };
}

export async function prepareDelivery(
  sql: Sql,
  delivery: { eventId: string; destinationId: string; headers: Record<string, string>; body: Buffer },
): Promise<PreparedDelivery> {
  const untouched: PreparedDelivery = { kind: 'send', headers: delivery.headers, body: delivery.body, transformed: null };
  const transforms = await cache.get(delivery.destinationId);
  if (transforms.size === 0) return untouched;
  const [event] = await sql<{ source_id: string; event_type: string | null; slug: string }[]>`
    SELECT e.source_id, e.event_type, s.slug FROM events e JOIN sources s ON s.id = e.source_id WHERE e.id = ${delivery.eventId}`;
  const source = event ? transforms.get(event.source_id) : undefined;
  if (!event || !source) return untouched;
  const input = transformInput({ headers: delivery.headers, body: delivery.body, eventType: event.event_type, source: event.slug });
  const run = await transformPool().run(source, input);
  return outgoingFor(run, input, delivery.body);
}

/**
 * The attempt's recorded request with what the transform changed: the headers it records are
 * already the transformed ones; the body is added when it differs from the stored event's.
 */
export function recordTransformedRequest<R extends { url: string; headers: Record<string, string>; secretHeaders: string[] }>(
  request: R | null,
  prepared: Extract<PreparedDelivery, { kind: 'send' }>,
): (R & { transformed: true; body?: string; bodyTruncated?: boolean }) | R | null {
  if (!request || !prepared.transformed) return request;
  if (!prepared.transformed.bodyChanged) return { ...request, transformed: true };
  const truncated = prepared.body.length > RECORDED_BODY_LIMIT;
  return {
    ...request,
    transformed: true,
    body: prepared.body.subarray(0, RECORDED_BODY_LIMIT).toString('utf8'),
    ...(truncated ? { bodyTruncated: true } : {}),
  };
}
