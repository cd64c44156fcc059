/**
 * Per-destination rate limits, shared by every worker: one-second windows in rate_limit_windows.
 * Before a claim, each rate-limited destination's remaining allowance for this second caps how
 * many of its rows may be claimed; after it, what was claimed is added to the window.
 */
import type { Sql } from '@/lib/db/sql';
import { createConfigCache } from '@/lib/db/config-cache';
import { db } from '@/lib/db/prisma';
import { logger } from '@/lib/log/logger';

const limitsCache = createConfigCache(async () =>
  db().destination.findMany({ where: { status: 'active', rateLimitPerSecond: { not: null } }, select: { id: true, rateLimitPerSecond: true } }),
);

export async function destinationRateCaps(sql: Sql, nowMs = Date.now()): Promise<Map<string, number>> {
  const limited = await limitsCache.get('all');
  const caps = new Map<string, number>();
  if (limited.length === 0) return caps;
  const window = new Date(Math.floor(nowMs / 1000) * 1000);
  const keys = limited.map((d) => `destination:${d.id}`);
  const used = await sql<{ key: string; count: number }[]>`
    SELECT key, count FROM rate_limit_windows WHERE key = ANY(${keys}::text[]) AND window_start = ${window}`;
  const usedByKey = new Map(used.map((row) => [row.key, row.count]));
  for (const destination of limited) {
    caps.set(destination.id, Math.max(0, (destination.rateLimitPerSecond ?? 0) - (usedByKey.get(`destination:${destination.id}`) ?? 0)));
  }
  return caps;
}

export async function noteRateUse(sql: Sql, claimed: { destinationId: string }[], nowMs = Date.now()): Promise<void> {
  if (claimed.length === 0) return;
  try {
    const limited = await limitsCache.get('all');
    const limitedIds = new Set(limited.map((d) => d.id));
    const counts = new Map<string, number>();
    for (const { destinationId } of claimed) if (limitedIds.has(destinationId)) counts.set(destinationId, (counts.get(destinationId) ?? 0) + 1);
    if (counts.size === 0) return;
    const window = new Date(Math.floor(nowMs / 1000) * 1000);
    const ids = [...counts.keys()];
    await sql`
      INSERT INTO rate_limit_windows (key, window_start, count)
      SELECT 'destination:' || id, ${window}, n FROM unnest(${ids}::text[], ${ids.map((id) => counts.get(id)!)}::int[]) AS t(id, n)
      ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_windows.count + excluded.count`;
  } catch (error) {
    logger.warn({ err: error }, 'recording destination rate use failed');
  }
}
