/**
 * `create` (→ pending): new deliveries, from ingest's group commit and from replays. A delivery
 * to a paused destination is created pending as well: it is held because its destination is
 * paused (state-machine.ts), and goes out when it is resumed.
 */
import type postgres from 'postgres';
import type { Prisma } from '@/lib/db/prisma';
import type { Sql } from '@/lib/db/sql';
import { to } from './state-machine';

const created = to('create');

/**
 * The INSERT of ingest's batch statement, as a CTE body: the deliveries of `document` (a JSON
 * array of {id, event_id, destination_id, route_id, ordering_key}) whose event the CTE `ins` just
 * inserted, at the event's arrival time. One statement with the events, so they commit together.
 */
export function insertIngestedDeliveries(sql: Sql, document: string): postgres.Fragment {
  // `create`'s status as a literal, not a parameter: with a parameter here the first batch after
  // a database restart was refused now and then (ingest-database-outage.test.ts, 2 runs in 5),
  // and the statement's parameters stay its two documents. delivery-state-machine.test.ts pins
  // DELIVERY_TRANSITIONS.create.to to 'pending'.
  return sql`
    INSERT INTO deliveries (id, event_id, source_id, destination_id, route_id, status, next_attempt_at, ordering_key, created_at, updated_at)
    SELECT d.id, d.event_id, ins.source_id, d.destination_id, d.route_id, 'pending'::"DeliveryStatus", ins.received_at, d.ordering_key,
           ins.received_at, ins.received_at
    FROM jsonb_to_recordset(${document}::text::jsonb) AS d(
      id uuid, event_id uuid, destination_id uuid, route_id uuid, ordering_key text)
    JOIN ins ON ins.id = d.event_id`;
}

/** A replay of delivery `of` (same event, destination, route and ordering key), due now. */
export async function insertReplayOf(tx: Pick<Prisma.TransactionClient, '$executeRaw'>, replay: { id: string; of: string; replayedBy: string }): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO deliveries (id, event_id, source_id, destination_id, route_id, status, next_attempt_at, ordering_key,
                            created_at, updated_at, replay_of_id, replayed_by)
    SELECT ${replay.id}::uuid, d.event_id, d.source_id, d.destination_id, d.route_id, ${created}::"DeliveryStatus",
           now(), d.ordering_key, now(), now(), d.id, ${replay.replayedBy}
    FROM deliveries d WHERE d.id = ${replay.of}::uuid`;
}

/**
 * One bulk-replay tick's new deliveries: `ids[i]` replays `of[i]`, falling due spread evenly over
 * `paceSeconds` (replay pacing, lib/replay/bulk-replay-pacing.ts).
 */
export async function insertBulkReplayed(
  tx: postgres.TransactionSql,
  rows: { ids: string[]; of: string[]; replayId: string; replayedBy: string; paceSeconds: number },
): Promise<void> {
  if (rows.ids.length === 0) return;
  await tx`
    INSERT INTO deliveries (id, event_id, source_id, destination_id, route_id, status, next_attempt_at, ordering_key,
                            created_at, updated_at, replay_of_id, replay_id, replayed_by)
    SELECT r.id, d.event_id, d.source_id, d.destination_id, d.route_id, ${created}::"DeliveryStatus",
           now() + make_interval(secs => (r.n - 1) * ${rows.paceSeconds / rows.ids.length}::double precision), d.ordering_key,
           now(), now(), d.id, ${rows.replayId}::uuid, ${rows.replayedBy}
    FROM unnest(${rows.ids}::uuid[], ${rows.of}::uuid[]) WITH ORDINALITY AS r(id, of_id, n)
    JOIN deliveries d ON d.id = r.of_id`;
}
