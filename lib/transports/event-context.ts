/**
 * The event type and source slug a broker message names (metadata, and `{eventType}`/`{source}`
 * in routing keys and subjects). The claim does not carry them (HTTP never needs them), so a
 * broker send that was not given them reads them here: one indexed lookup by primary key, cached
 * per event (every destination and attempt of one event shares it).
 */
import { db } from '@/lib/db/prisma';
import type { OutgoingDelivery } from './transport';

export interface EventContext {
  eventType: string | null;
  source: string;
}

const CACHE_LIMIT = 10_000;
const cache = new Map<string, EventContext>();

export async function eventContextOf(delivery: OutgoingDelivery): Promise<EventContext> {
  if (delivery.source !== undefined) return { eventType: delivery.eventType ?? null, source: delivery.source };
  const cached = cache.get(delivery.eventId);
  if (cached) return cached;
  const event = await db().event.findUnique({ where: { id: delivery.eventId }, select: { eventType: true, source: { select: { slug: true } } } });
  const context = { eventType: event?.eventType ?? null, source: event?.source.slug ?? '' };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(delivery.eventId, context);
  return context;
}

/** `{eventType}` and `{source}` replaced; an event without a type gives an empty string. */
export function fillTemplate(template: string, context: EventContext): string {
  return template.replaceAll('{eventType}', context.eventType ?? '').replaceAll('{source}', context.source);
}
