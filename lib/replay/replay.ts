/**
 * Sending again, by hand (docs/replay-and-retention.md):
 *  - retry: the same delivery row goes back to the queue, due now;
 *  - replay of one event: new delivery rows, to one or every destination it went to;
 *  - bulk replay: new rows for every delivery a filter matched, created by the worker at a
 *    throttled rate (processBulkReplays), cancellable.
 * Each is audited with who asked; replayed rows carry `replayed_by` and `replay_of_id`.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { newId } from '@/lib/db/ids';
import { db, type Prisma } from '@/lib/db/prisma';
import { andAll, type Sql, sql as defaultSql } from '@/lib/db/sql';
import { deliveryConditions } from '@/lib/deliveries/list-deliveries';
import {
  DEFAULT_REPLAY_RATE,
  type ReplayEventInput,
  type ReplayFilter,
  replayFilterSchema,
  withSearchWindow,
} from '@/lib/events/events.schema';
import { AppError, conflict, notFound } from '@/lib/http/errors';
import { wakeWorkers } from '@/lib/ingest/wake-workers';
import { logger } from '@/lib/log/logger';
import { isUuid } from '@/lib/secrets/manage-secrets';
import { DEFAULT_RETRY_SCHEDULE } from '@/lib/worker/retry-policy';

/* ------------------------------------------------------------------------------------------ */
/* Retry one delivery                                                                          */
/* ------------------------------------------------------------------------------------------ */

export interface RetryResult {
  id: string;
  eventId: string;
  status: 'pending' | 'paused';
  attemptCount: number;
  nextAttemptAt: Date;
  /** True when the retry schedule starts over (the delivery had failed, or used its schedule up). */
  scheduleRestarted: boolean;
}

/**
 * Puts a failed, cancelled or pending delivery back in the queue, due now. Its attempts stay.
 * A failed delivery gets its whole retry schedule again (attempt_count = 0): the receiver was
 * presumably fixed, and one flaky answer should not make it fail again at once. A pending or
 * cancelled one keeps its place in the schedule: the manual attempt replaces the one it was
 * waiting for. To a paused destination it is held (status paused) until resume.
 */
export async function retryDelivery(id: string, actor: Principal, ip?: string | null): Promise<RetryResult> {
  if (!isUuid(id)) throw notFound('Delivery');
  const result = await db().$transaction(async (tx) => {
    const [found] = await tx.$queryRaw<{ event_id: string }[]>`SELECT event_id::text FROM deliveries WHERE id = ${id}::uuid`;
    if (!found) throw notFound('Delivery');
    // The event first, as an insert referencing it would (KEY SHARE): retention skips locked
    // events, so the delivery cannot be deleted under a retry. Then the delivery itself, which a
    // worker's claim (SKIP LOCKED) then leaves alone until we commit.
    await tx.$queryRaw`SELECT 1 FROM events WHERE id = ${found.event_id}::uuid FOR KEY SHARE`;
    const [row] = await tx.$queryRaw<
      {
        status: string;
        attempt_count: number;
        next_attempt_at: Date;
        destination_status: string;
        destination_name: string;
        retry_schedule: number[];
      }[]
    >`
      SELECT d.status::text, d.attempt_count, d.next_attempt_at, t.status::text AS destination_status, t.name AS destination_name, t.retry_schedule
      FROM deliveries d JOIN destinations t ON t.id = d.destination_id
      WHERE d.id = ${id}::uuid FOR UPDATE OF d`;
    if (!row) throw notFound('Delivery');
    if (row.status === 'in_flight') throw conflict('The delivery is being sent right now; wait for this attempt to finish');
    if (row.status === 'succeeded') {
      throw conflict(`The delivery already succeeded; to send it again, replay its event (POST /api/v1/events/${found.event_id}/replay)`);
    }
    if (row.status === 'paused') throw conflict(`The delivery is held because ${row.destination_name} is paused; resume the destination to send it`);
    if (row.destination_status === 'disabled') throw conflict(`${row.destination_name} is disabled; resume it before retrying its deliveries`);

    const scheduleLength = (row.retry_schedule.length > 0 ? row.retry_schedule : DEFAULT_RETRY_SCHEDULE).length;
    const restart = row.status === 'failed' || row.attempt_count >= scheduleLength;
    const status = row.destination_status === 'paused' ? 'paused' : 'pending';
    const [updated] = await tx.$queryRaw<{ attempt_count: number; next_attempt_at: Date }[]>`
      UPDATE deliveries SET status = ${status}::"DeliveryStatus", next_attempt_at = now(), completed_at = NULL,
        attempt_count = CASE WHEN ${restart} THEN 0 ELSE attempt_count END,
        lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
      WHERE id = ${id}::uuid
      RETURNING attempt_count, next_attempt_at`;
    await recordAudit(
      actor,
      {
        action: 'delivery.retry',
        targetType: 'delivery',
        targetId: id,
        before: { status: row.status, attemptCount: row.attempt_count, nextAttemptAt: row.next_attempt_at },
        after: { status, attemptCount: updated!.attempt_count, nextAttemptAt: updated!.next_attempt_at, scheduleRestarted: restart },
        ip,
      },
      tx,
    );
    return {
      id,
      eventId: found.event_id,
      status,
      attemptCount: updated!.attempt_count,
      nextAttemptAt: updated!.next_attempt_at,
      scheduleRestarted: restart,
    } satisfies RetryResult;
  });
  if (result.status === 'pending') wakeWorkers();
  return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Replay one event                                                                            */
/* ------------------------------------------------------------------------------------------ */

export interface ReplayEventResult {
  /** Ids of the new deliveries. */
  deliveries: string[];
  /** Destinations left out: disabled ones (only when replaying to all). */
  skipped: { destinationId: string; reason: string }[];
}

/**
 * New deliveries of an event: to `destinationId`, or to every destination it was delivered to
 * before (never to others: the routes decided who sees an event). Each replays the latest
 * delivery to its destination, keeps its ordering key (so it queues behind that key's unfinished
 * deliveries), and is due now.
 */
export async function replayEvent(eventId: string, input: ReplayEventInput, actor: Principal, ip?: string | null): Promise<ReplayEventResult> {
  if (!isUuid(eventId)) throw notFound('Event');
  const result = await db().$transaction(async (tx) => {
    // KEY SHARE, as the inserts below would take anyway: retention cannot delete the event meanwhile.
    const [event] = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM events WHERE id = ${eventId}::uuid FOR KEY SHARE`;
    if (!event) throw notFound('Event');
    if (input.destinationId) {
      const destination = await tx.destination.findUnique({ where: { id: input.destinationId }, select: { id: true } });
      if (!destination) throw notFound('Destination');
    }
    const latest = await tx.$queryRaw<{ id: string; destination_id: string; destination_status: string; destination_name: string }[]>`
      SELECT DISTINCT ON (d.destination_id) d.id::text, d.destination_id::text, t.status::text AS destination_status, t.name AS destination_name
      FROM deliveries d JOIN destinations t ON t.id = d.destination_id
      WHERE d.event_id = ${eventId}::uuid
        AND (${input.destinationId ?? null}::uuid IS NULL OR d.destination_id = ${input.destinationId ?? null}::uuid)
      ORDER BY d.destination_id, d.created_at DESC, d.id DESC`;
    if (latest.length === 0) {
      throw new AppError(
        'invalid_input',
        input.destinationId
          ? 'The event was never delivered to this destination; replay sends an event only where its routes sent it'
          : 'The event has no deliveries to replay (no route matched it)',
        [{ path: input.destinationId ? 'destinationId' : '', message: 'no delivery to replay' }],
      );
    }
    const skipped = latest.filter((row) => row.destination_status === 'disabled');
    if (input.destinationId && skipped.length > 0) throw conflict(`${skipped[0]!.destination_name} is disabled; resume it before replaying to it`);
    const targets = latest.filter((row) => row.destination_status !== 'disabled');
    if (targets.length === 0) throw conflict('Every destination of this event is disabled; resume one before replaying');

    const created: { id: string; destinationId: string; replayOf: string }[] = [];
    for (const target of targets) {
      const id = newId();
      await tx.$executeRaw`
        INSERT INTO deliveries (id, event_id, source_id, destination_id, route_id, status, next_attempt_at, ordering_key,
                                created_at, updated_at, replay_of_id, replayed_by)
        SELECT ${id}::uuid, d.event_id, d.source_id, d.destination_id, d.route_id,
               (CASE WHEN ${target.destination_status} = 'paused' THEN 'paused' ELSE 'pending' END)::"DeliveryStatus",
               now(), d.ordering_key, now(), now(), d.id, ${actor.label}
        FROM deliveries d WHERE d.id = ${target.id}::uuid`;
      created.push({ id, destinationId: target.destination_id, replayOf: target.id });
    }
    const skippedOut = skipped.map((row) => ({ destinationId: row.destination_id, reason: `${row.destination_name} is disabled` }));
    await recordAudit(
      actor,
      {
        action: 'event.replay',
        targetType: 'event',
        targetId: eventId,
        after: { destinationId: input.destinationId ?? null, deliveries: created, skipped: skippedOut },
        ip,
      },
      tx,
    );
    return { deliveries: created.map((row) => row.id), skipped: skippedOut };
  });
  wakeWorkers();
  return result;
}

/* ------------------------------------------------------------------------------------------ */
/* Bulk replays                                                                                */
/* ------------------------------------------------------------------------------------------ */

/**
 * The deliveries a bulk replay matches, as of `cutoff` (the replay's creation time):
 *  - created before the cutoff, so the replay's own new rows (and any later ones) never match;
 *  - finished (succeeded, failed, cancelled), or the one status the filter names;
 *  - the latest delivery of their event to their destination as of the cutoff: a failed delivery
 *    that was already replayed is represented by its replay, so replaying "everything failed"
 *    twice does not send an event that finally got through again;
 *  - and the filter's fields (deliveries list semantics).
 * Ordered oldest first: (created_at, id), which is also the cursor.
 */
function matchConditions(sql: Sql, filter: ReplayFilter, cutoff: Date | null) {
  const before = cutoff ? sql`${cutoff}::timestamptz` : sql`now()`;
  const conditions = deliveryConditions(sql, { ...filter, status: undefined });
  conditions.push(sql`d.created_at < ${before}`);
  conditions.push(filter.status ? sql`d.status = ${filter.status}::"DeliveryStatus"` : sql`d.status IN ('succeeded', 'failed', 'cancelled')`);
  conditions.push(sql`NOT EXISTS (
    SELECT 1 FROM deliveries n
    WHERE n.event_id = d.event_id AND n.destination_id = d.destination_id AND n.created_at < ${before}
      AND (n.created_at, n.id) > (d.created_at, d.id))`);
  return conditions;
}

/** The filter as stored: dates as ISO text, a text search's window made explicit (fixed at start). */
function storableFilter(filter: ReplayFilter, now: Date): Record<string, unknown> {
  const resolved = withSearchWindow(filter, now);
  const { searchWindow: _window, ...rest } = resolved;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** How many deliveries a bulk replay with this filter would re-send now (the dry run). */
export async function countReplayMatches(filter: ReplayFilter, options: { sql?: Sql; now?: Date } = {}): Promise<number> {
  const sql = options.sql ?? defaultSql();
  const resolved = replayFilterSchema.parse(storableFilter(filter, options.now ?? new Date()));
  const [row] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM deliveries d JOIN events e ON e.id = d.event_id
    WHERE ${andAll(sql, matchConditions(sql, resolved, options.now ?? null))}`;
  return row?.count ?? 0;
}

export interface ReplayView {
  id: string;
  status: string;
  filter: unknown;
  total: number;
  processed: number;
  ratePerSecond: number;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledBy: string | null;
  /** The new deliveries so far, by status. */
  deliveries: Partial<Record<string, number>>;
}

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

async function replayView(id: string): Promise<ReplayView> {
  if (!isUuid(id)) throw notFound('Replay');
  const replay = await db().replay.findUnique({ where: { id } });
  if (!replay) throw notFound('Replay');
  const counts = await db().delivery.groupBy({ by: ['status'], where: { replayId: id }, _count: { _all: true } });
  return {
    id: replay.id,
    status: replay.status,
    filter: replay.filter,
    total: replay.total,
    processed: replay.processed,
    ratePerSecond: replay.ratePerSecond,
    createdBy: replay.createdBy,
    createdAt: replay.createdAt,
    startedAt: replay.startedAt,
    finishedAt: replay.finishedAt,
    cancelledBy: replay.cancelledBy,
    deliveries: Object.fromEntries(counts.map((row) => [row.status, row._count._all])),
  };
}

export const getReplay = (id: string): Promise<ReplayView> => replayView(id);

export async function listReplays(limit = 50): Promise<Omit<ReplayView, 'deliveries'>[]> {
  const rows = await db().replay.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  return rows.map(({ cursor: _cursor, ...row }) => row);
}

/**
 * Stops a bulk replay: no more deliveries are created, and those it created that are not sent
 * yet (pending or held) become cancelled. Sends already under way finish. Cancelling twice is
 * a no-op; a completed replay can still be cancelled while its deliveries wait.
 */
export async function cancelReplay(id: string, actor: Principal, ip?: string | null): Promise<ReplayView & { cancelledDeliveries: number }> {
  if (!isUuid(id)) throw notFound('Replay');
  const cancelled = await db().$transaction(async (tx) => {
    // Waits for a worker's tick on this replay to commit, so its rows are cancelled too.
    const [row] = await tx.$queryRaw<{ status: string; processed: number }[]>`
      SELECT status::text, processed FROM replays WHERE id = ${id}::uuid FOR UPDATE`;
    if (!row) throw notFound('Replay');
    if (row.status === 'cancelled') return 0;
    await tx.$executeRaw`
      UPDATE replays SET status = 'cancelled', cancelled_by = ${actor.label}, finished_at = COALESCE(finished_at, now())
      WHERE id = ${id}::uuid`;
    const cancelled = await tx.$executeRaw`
      UPDATE deliveries SET status = 'cancelled', completed_at = now(), updated_at = now()
      WHERE replay_id = ${id}::uuid AND status IN ('pending', 'paused')`;
    await recordAudit(
      actor,
      {
        action: 'replay.cancel',
        targetType: 'replay',
        targetId: id,
        before: { status: row.status, processed: row.processed },
        after: { status: 'cancelled', cancelledDeliveries: cancelled },
        ip,
      },
      tx,
    );
    return cancelled;
  });
  return { ...(await replayView(id)), cancelledDeliveries: cancelled };
}

/** The first tick's size is a tenth of the rate (at least MIN_WINDOW), then it doubles while the destinations keep up. */
export const MIN_WINDOW = 10;
/** A tick's rows fall due spread over this much time: more than a worker poll (500 ms) before the next tick. */
const PACE_SECONDS = 0.5;

/**
 * Where a replay is, and how many rows its next tick may create (its window). Stored in
 * `replays.cursor` as base64url JSON: the keyset position (created_at, id) of the last delivery
 * replayed, and the window. The matched set is walked in that order, so a restarted worker
 * resumes exactly there.
 */
interface ReplayProgress {
  after: { at: Date; id: string } | null;
  window: number;
}

const initialWindow = (rate: number) => Math.min(rate, Math.max(MIN_WINDOW, Math.ceil(rate / 10)));

function readProgress(cursor: string | null, rate: number): ReplayProgress | null {
  if (!cursor) return { after: null, window: initialWindow(rate) };
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown; window?: unknown };
    const after = typeof value.at === 'string' && typeof value.id === 'string' ? { at: new Date(value.at), id: value.id } : null;
    if (after && (Number.isNaN(after.at.getTime()) || !isUuid(after.id))) return null;
    const window = typeof value.window === 'number' && value.window >= 1 ? Math.min(rate, Math.floor(value.window)) : initialWindow(rate);
    return { after, window };
  } catch {
    return null;
  }
}

function writeProgress(progress: ReplayProgress): string {
  return Buffer.from(JSON.stringify({ at: progress.after?.at.toISOString() ?? null, id: progress.after?.id ?? null, window: progress.window })).toString('base64url');
}

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
      const earned = Math.floor(rate * ((now.getTime() - startedAt.getTime()) / 1000 + 1)) - replay.processed;
      const take = Math.max(0, Math.min(earned, rate, budget));
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
                LIMIT ${progress.window + 1}) q) b`
        : [];
      const congested = backlog > Math.max(2, Math.floor(progress.window / 20));
      const window = congested
        ? Math.max(MIN_WINDOW, Math.floor(progress.window / 2))
        : replay.processed > 0
          ? Math.min(rate, progress.window * 2)
          : progress.window;
      const matched = candidates.slice(0, Math.min(take, congested ? Math.max(0, window - backlog) : window));
      const ids = matched.map(() => newId());
      if (matched.length > 0) {
        await tx`
          INSERT INTO deliveries (id, event_id, source_id, destination_id, route_id, status, next_attempt_at, ordering_key,
                                  created_at, updated_at, replay_of_id, replay_id, replayed_by)
          SELECT r.id, d.event_id, d.source_id, d.destination_id, d.route_id,
                 (CASE WHEN t.status = 'paused' THEN 'paused' ELSE 'pending' END)::"DeliveryStatus",
                 now() + make_interval(secs => (r.n - 1) * ${PACE_SECONDS / matched.length}::double precision), d.ordering_key,
                 now(), now(), d.id, ${replay.id}::uuid, ${replay.created_by}
          FROM unnest(${ids}::uuid[], ${matched.map((row) => row.id)}::uuid[]) WITH ORDINALITY AS r(id, of_id, n)
          JOIN deliveries d ON d.id = r.of_id
          JOIN destinations t ON t.id = d.destination_id`;
      }
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
