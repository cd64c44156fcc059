/**
 * Transitions of the lease: `claim` (pending → in_flight, in the SQL function
 * hookyard_claim_deliveries, which only this module calls), `give_back` (in_flight → pending,
 * unsent, no attempt recorded) and `skip` (in_flight → cancelled, unsent because the route's
 * transform returned null; no attempt either, the reason in last_error). lib/worker/claim-due-deliveries.ts explains the claim.
 */
import type { Sql } from '@/lib/db/sql';
import { storedFromSql, to } from './state-machine';

/** A claimed delivery, or (id null) the one summary row that ends every claim's answer. */
export interface ClaimRow {
  id: string | null;
  event_id: string | null;
  destination_id: string | null;
  attempt_count: number | null;
  ordering_key: string | null;
  headers: Record<string, string> | null;
  body: Buffer | null;
  busy: number | null;
  rate_wait_ms: number | null;
}

export interface ClaimParameters {
  owner: string;
  limit: number;
  leaseMarginSeconds: number;
  windowSeconds: number;
  keepSeconds: number;
}

/** `claim`: the function marks the rows it picks `in_flight` (DELIVERY_TRANSITIONS.claim). */
export function claimDeliveryRows(sql: Sql, p: ClaimParameters): Promise<ClaimRow[]> {
  return sql<ClaimRow[]>`
    SELECT * FROM hookyard_claim_deliveries(${p.owner}, ${p.limit}, ${p.leaseMarginSeconds}, ${p.windowSeconds}, ${p.keepSeconds})`;
}

/** `give_back` of one row `owner` still holds. */
export async function giveBackDelivery(sql: Sql, id: string, owner: string): Promise<void> {
  await sql`UPDATE deliveries SET status = ${to('give_back')}::"DeliveryStatus",
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE id = ${id} AND lease_owner = ${owner} AND status ${sql.unsafe(storedFromSql('give_back'))}`;
}

/** `give_back` of everything `owner` still holds (a graceful stop). Returns how many. */
export async function giveBackAllLeases(sql: Sql, owner: string): Promise<number> {
  const result = await sql`
    UPDATE deliveries SET status = ${to('give_back')}::"DeliveryStatus", lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
    WHERE status ${sql.unsafe(storedFromSql('give_back'))} AND lease_owner = ${owner}`;
  return result.count;
}

/** `skip` of one row `owner` still holds. Returns whether it moved. */
export async function skipDelivery(sql: Sql, id: string, owner: string, reason: string): Promise<boolean> {
  const result = await sql`UPDATE deliveries SET status = ${to('skip')}::"DeliveryStatus", last_error = ${reason}, completed_at = now(),
            lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
            WHERE id = ${id} AND lease_owner = ${owner} AND status ${sql.unsafe(storedFromSql('skip'))}`;
  return result.count > 0;
}
