/**
 * A source's newest events, as the route editor's "Try it on a recent event" picker shows them:
 * the type, the ids a person tells events apart by, and when each arrived. Reads the
 * `events (source_id, received_at DESC, id DESC)` index only; bodies stay in the database until a
 * test run loads the one picked (lib/transforms/test-transform.ts).
 */
import { z } from 'zod';
import { db } from '@/lib/db/prisma';

export const RECENT_EVENT_LIMIT = 20;

export const recentEventsSchema = z.strictObject({ sourceId: z.uuid() });

export interface RecentEvent {
  id: string;
  eventType: string | null;
  /** The provider's event id, when the source has a dedup key: what lists show as the short id. */
  dedupKey: string | null;
  receivedAt: Date;
}

export async function listRecentEvents(sourceId: string, limit = RECENT_EVENT_LIMIT): Promise<RecentEvent[]> {
  return db().event.findMany({
    where: { sourceId },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { id: true, eventType: true, dedupKey: true, receivedAt: true },
  });
}
