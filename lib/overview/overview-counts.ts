import { db } from '@/lib/db/prisma';

/** The headline numbers on the overview page. */
export async function loadOverviewCounts(now = new Date()) {
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const [sources, destinations, events24h, failed] = await Promise.all([
    db().source.count({ where: { status: 'active' } }),
    db().destination.count({ where: { status: { not: 'disabled' } } }),
    db().event.count({ where: { receivedAt: { gte: since } } }),
    db().delivery.count({ where: { status: 'failed' } }),
  ]);
  return { sources, destinations, events24h, failed };
}
