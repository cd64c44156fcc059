/**
 * The bulk replay runner: every worker runs a tick about once a second, creating the next
 * deliveries of each pending or running replay at its rate, paced (bulk-replay-pacing.ts).
 */
import { newId } from '@/lib/db/ids';
import { andAll, type Sql } from '@/lib/db/sql';
import { insertBulkReplayed } from '@/lib/deliveries/lifecycle/create-deliveries';
import { replayFilterSchema } from './replay.schema';
import { wakeWorkers } from '@/lib/db/wake-workers';
import { logger } from '@/lib/log/logger';
import { matchConditions } from './bulk-replay-match';
import { nextWindow, PACE_SECONDS, readProgress, rowsAllowed, writeProgress } from './bulk-replay-pacing';

export interface BulkReplayTickOptions {
  /** The clock for the throttle (tests). */
  now?: Date;
  /** Most new deliveries this call creates, across all replays. */
  budgetPerTick?: number;
}

/**
 * One tick of bulk replaying, run by every worker about once a second. Each pending or running
 * replay is claimed with FOR UPDATE SKIP LOCKED (two workers never work one replay at once), and
 * creates new deliveries for the next matched ones, at most:
 *  - `rate_per_second` per elapsed second since it started, minus what it has made (a token
 *    bucket needing no state beyond `started_at` and `processed`), and at most one second's worth
 *    per tick, so a worker that was down does not burst to catch up;
 *  - its window, which adapts to what the destinations take, like TCP's congestion window: it
 *    starts at a tenth of the rate, doubles (up to the rate) while the destinations it feeds have
 *    no backlog of due deliveries at the tick, and halves when they do — and then only
 *    `window − backlog` rows are made.
 *
 * Live traffic keeps flowing because (docs/replay-and-retention.md):
 *  - pacing: a tick's rows fall due spread over half a second (next_attempt_at = now + i × 0.5 s
 *    / n), not at once; the claim takes due rows oldest first and a live delivery is due from its
 *    arrival, so it waits only behind replayed rows that fell due before it;
 *  - back-pressure: the window keeps replayed rows to what the destination drains between ticks,
 *    so a rate set higher than a destination can take does not build a queue in front of live
 *    events (a live delivery waits behind at most about one window of replayed rows).
 */
export async function processBulkReplays(sql: Sql, options: BulkReplayTickOptions = {}): Promise<{ created: number; replays: number }> {
  let budget = options.budgetPerTick ?? 2_000;
  const handled: string[] = [];
  let created = 0;
  while (budget > 0) {
    const step = await sql.begin(async (tx) => {
      const [replay] = await tx<
        {
          id: string;
          filter: unknown;
          processed: number;
          total: number;
          cursor: string | null;
          rate_per_second: number;
          created_by: string;
          created_at: Date;
          started_at: Date | null;
        }[]
      >`
        SELECT id, filter, processed, total, cursor, rate_per_second, created_by, created_at, started_at FROM replays
        WHERE status IN ('pending', 'running') AND NOT (id = ANY(${handled}::uuid[]))
        ORDER BY created_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED`;
      if (!replay) return null;
      handled.push(replay.id);
      const now = options.now ?? new Date();
      const startedAt = replay.started_at ?? now;

      const parsed = replayFilterSchema.safeParse(replay.filter);
      if (!parsed.success) {
        logger.error({ replay: replay.id, issues: parsed.error.issues }, 'bulk replay has a filter that no longer parses; marking it failed');
        await tx`UPDATE replays SET status = 'failed', finished_at = ${now} WHERE id = ${replay.id}`;
        return { created: 0 };
      }
      const rate = Math.max(1, replay.rate_per_second);
      const take = rowsAllowed({ rate, startedAt, now, processed: replay.processed, budget });
      if (take === 0) {
        await tx`UPDATE replays SET status = 'running', started_at = ${startedAt} WHERE id = ${replay.id}`;
        return { created: 0 };
      }

      const progress = readProgress(replay.cursor, rate);
      if (!progress) {
        logger.error({ replay: replay.id }, 'bulk replay has an unreadable cursor; marking it failed rather than starting over');
        await tx`UPDATE replays SET status = 'failed', finished_at = ${now} WHERE id = ${replay.id}`;
        return { created: 0 };
      }
      const conditions = matchConditions(tx as unknown as Sql, parsed.data, replay.created_at);
      if (progress.after) conditions.push(tx`(d.created_at, d.id) > (${progress.after.at}::timestamptz, ${progress.after.id}::uuid)`);
      const candidates = await tx<{ id: string; created_at: Date; destination_id: string }[]>`
        SELECT d.id, d.created_at, d.destination_id FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE ${andAll(tx as unknown as Sql, conditions)}
        ORDER BY d.created_at, d.id
        LIMIT ${take + 1}`;
      // One more than needed tells whether this tick reaches the end.
      const more = candidates.length > take;
      if (more) candidates.pop();

      // Back-pressure: the due, unclaimed deliveries (live ones included) of the destinations this
      // tick would feed. The previous tick's rows were all due half a second ago, so a destination
      // that keeps up has (almost) none left.
      const destinationIds = [...new Set(candidates.map((row) => row.destination_id))];
      const [{ backlog } = { backlog: 0 }] = destinationIds.length
        ? await tx<{ backlog: number }[]>`
            SELECT COALESCE(max(b.n), 0)::int AS backlog FROM unnest(${destinationIds}::uuid[]) AS t(id)
            CROSS JOIN LATERAL (
              SELECT count(*) AS n FROM (
                SELECT 1 FROM deliveries p
                WHERE p.destination_id = t.id AND p.status = 'pending' AND p.next_attempt_at <= now()
                  -- Held rows of a paused destination are not a backlog it fails to drain.
                  AND NOT EXISTS (SELECT 1 FROM destinations x WHERE x.id = t.id AND x.status = 'paused')
                LIMIT ${progress.window + 1}) q) b`
        : [];
      const { window, rows } = nextWindow({ window: progress.window, backlog, rate, started: replay.processed > 0, take });
      const matched = candidates.slice(0, rows);
      const ids = matched.map(() => newId());
      await insertBulkReplayed(tx, {
        ids,
        of: matched.map((row) => row.id),
        replayId: replay.id,
        replayedBy: replay.created_by,
        paceSeconds: PACE_SECONDS,
      });
      const last = matched[matched.length - 1];
      const done = !more && matched.length === candidates.length;
      await tx`
        UPDATE replays SET
          status = ${done ? 'completed' : 'running'}::"ReplayStatus",
          processed = processed + ${matched.length},
          cursor = ${writeProgress({ after: last ? { at: last.created_at, id: last.id } : progress.after, window })},
          started_at = ${startedAt},
          finished_at = ${done ? now : null}
        WHERE id = ${replay.id}`;
      return { created: matched.length };
    });
    if (!step) break;
    created += step.created;
    budget -= step.created;
  }
  if (created > 0) wakeWorkers();
  return { created, replays: handled.length };
}
