/**
 * The sources and destinations the explorer's and the queue's filters offer: names and ids only
 * (no secrets, no settings), so every role may see them.
 */
import { db } from '@/lib/db/prisma';

export interface FilterOption {
  id: string;
  name: string;
  /** `disabled`, `paused`: shown beside the name. */
  status: string;
}

export async function listFilterOptions(): Promise<{ sources: FilterOption[]; destinations: FilterOption[] }> {
  const [sources, destinations] = await Promise.all([
    db().source.findMany({ select: { id: true, name: true, status: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    db().destination.findMany({ select: { id: true, name: true, status: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  ]);
  return { sources, destinations };
}
