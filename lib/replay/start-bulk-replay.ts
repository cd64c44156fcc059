/** Creating a bulk replay: the worker then makes its deliveries (bulk-replay-runner.ts). */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { db, type Prisma } from '@/lib/db/prisma';
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import { DEFAULT_REPLAY_RATE, type ReplayFilter, replayFilterSchema } from './replay.schema';
import { countReplayMatches, storableFilter } from './bulk-replay-match';

/**
 * Starts a bulk replay: records the filter, who asked and how many deliveries match now (the
 * matched set is fixed at this moment: deliveries created later never match). The worker
 * creates the new deliveries (processBulkReplays).
 */
export async function startBulkReplay(
  filter: ReplayFilter,
  actor: Principal,
  ip?: string | null,
  options: { ratePerSecond?: number; sql?: Sql } = {},
): Promise<{ id: string; count: number }> {
  const sql = options.sql ?? defaultSql();
  const [{ now } = { now: new Date() }] = await sql<{ now: Date }[]>`SELECT now() AS now`;
  const stored = storableFilter(filter, now);
  const count = await countReplayMatches(replayFilterSchema.parse(stored), { sql, now });
  const ratePerSecond = options.ratePerSecond ?? DEFAULT_REPLAY_RATE;
  return db().$transaction(async (tx) => {
    const replay = await tx.replay.create({
      data: { filter: stored as Prisma.InputJsonValue, status: 'pending', total: count, ratePerSecond, createdBy: actor.label, createdAt: now },
      select: { id: true },
    });
    await recordAudit(
      actor,
      { action: 'replay.create', targetType: 'replay', targetId: replay.id, after: { filter: stored, total: count, ratePerSecond }, ip },
      tx,
    );
    return { id: replay.id, count };
  });
}
