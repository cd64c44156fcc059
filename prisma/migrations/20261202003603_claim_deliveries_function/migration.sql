-- The worker's claim as one server-side function (lib/delivery/claim-due-deliveries.ts explains
-- the protocol). In READ COMMITTED, each statement of a VOLATILE PL/pgSQL function takes a new
-- snapshot, so the claim statement sees every claim committed by the previous holders of the
-- destination locks the first statement took; and the whole is one round trip instead of three.
-- The locks are held until the calling statement's transaction commits, right after it returns.
CREATE OR REPLACE FUNCTION hookyard_claim_deliveries(
  p_owner text,
  p_limit int,
  p_lease_margin_seconds double precision,
  p_window_seconds double precision,
  p_keep_seconds double precision
) RETURNS TABLE (
  id uuid,
  event_id uuid,
  destination_id uuid,
  attempt_count int,
  ordering_key text,
  headers jsonb,
  body bytea,
  busy int,
  rate_wait_ms int
) LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_locked uuid[];
  v_busy int;
  v_rate_wait int;
BEGIN
  -- 1. Lock the destinations this claim may take from. "free" and "used" are hints from this
  -- statement's snapshot: they keep a full or rate-exhausted destination from being locked (and
  -- from being reported busy, which would make every worker spin on it). 2. recounts under the lock.
  WITH due AS MATERIALIZED (
    SELECT t.id, t.rate_limit_per_second AS rate_limit, rc.used, rc.oldest,
           CASE WHEN t.circuit_state = 'closed' THEN t.max_concurrency ELSE 1 END
             - (SELECT count(*) FROM deliveries i
                WHERE i.destination_id = t.id AND i.status = 'in_flight' AND i.lease_expires_at > now())::int AS free
    FROM destinations t
    LEFT JOIN LATERAL (
      SELECT count(*)::int AS used, min(c.claimed_at) AS oldest FROM destination_rate_claims c
      WHERE t.rate_limit_per_second IS NOT NULL AND c.destination_id = t.id
        AND c.claimed_at > clock_timestamp() - make_interval(secs => p_window_seconds)
    ) rc ON true
    WHERE t.status = 'active'
      AND (t.circuit_state = 'closed' OR t.circuit_retry_at IS NULL OR t.circuit_retry_at <= now())
      AND EXISTS (SELECT 1 FROM deliveries p WHERE p.destination_id = t.id AND p.status = 'pending' AND p.next_attempt_at <= now())
  ), ready AS (
    SELECT due.id FROM due WHERE due.free > 0 AND (due.rate_limit IS NULL OR due.used < due.rate_limit)
  ), locked AS MATERIALIZED (
    SELECT t.id FROM destinations t WHERE t.id IN (SELECT ready.id FROM ready)
    FOR NO KEY UPDATE OF t SKIP LOCKED
  )
  SELECT COALESCE((SELECT array_agg(locked.id) FROM locked), '{}'::uuid[]),
         ((SELECT count(*) FROM ready) - (SELECT count(*) FROM locked))::int,
         (SELECT ceil(extract(epoch FROM min(due.oldest) + make_interval(secs => p_window_seconds) - clock_timestamp()) * 1000)::int
          FROM due WHERE due.free > 0 AND due.rate_limit IS NOT NULL AND due.used >= due.rate_limit)
    INTO v_locked, v_busy, v_rate_wait;

  -- 2. A new snapshot, taken after the locks were granted. `at` is read once: claim times of one
  -- destination increase from holder to holder, and the rate log compares them exactly at the
  -- millisecond precision it stores.
  IF cardinality(v_locked) > 0 THEN
    RETURN QUERY
    WITH clock AS MATERIALIZED (
      SELECT date_trunc('milliseconds', clock_timestamp()) AS at
    ), dest AS MATERIALIZED (
      SELECT t.id, clock.at, t.rate_limit_per_second IS NOT NULL AS rate_limited,
             LEAST(
               CASE WHEN t.circuit_state = 'closed' THEN t.max_concurrency ELSE 1 END
                 - (SELECT count(*) FROM deliveries i
                    WHERE i.destination_id = t.id AND i.status = 'in_flight' AND i.lease_expires_at > clock.at)::int,
               COALESCE(t.rate_limit_per_second
                 - (SELECT count(*) FROM destination_rate_claims c
                    WHERE c.destination_id = t.id AND c.claimed_at > clock.at - make_interval(secs => p_window_seconds))::int,
                 2147483647)
             ) AS free
      FROM destinations t CROSS JOIN clock
      WHERE t.id = ANY(v_locked) AND t.status = 'active'
        AND (t.circuit_state = 'closed' OR t.circuit_retry_at IS NULL OR t.circuit_retry_at <= clock.at)
    ), picked AS (
      SELECT x.id FROM dest CROSS JOIN LATERAL (
        SELECT d.id FROM deliveries d
        WHERE d.destination_id = dest.id AND d.status = 'pending' AND d.next_attempt_at <= dest.at
          AND (d.ordering_key IS NULL OR NOT EXISTS (
            SELECT 1 FROM deliveries o
            WHERE o.destination_id = d.destination_id AND o.ordering_key = d.ordering_key
              AND o.status IN ('pending', 'in_flight', 'paused')
              AND (o.created_at, o.id) < (d.created_at, d.id)))
        ORDER BY d.next_attempt_at
        LIMIT GREATEST(dest.free, 0)
        FOR UPDATE OF d SKIP LOCKED
      ) x
      LIMIT p_limit
    ), claimed AS (
      UPDATE deliveries d
      SET status = 'in_flight', lease_owner = p_owner, claimed_at = dest.at,
          lease_expires_at = dest.at + make_interval(secs => t.timeout_ms / 1000.0 + p_lease_margin_seconds), updated_at = now()
      FROM picked, dest, events e, destinations t
      WHERE d.id = picked.id AND dest.id = d.destination_id AND e.id = d.event_id AND t.id = d.destination_id
      RETURNING d.id, d.event_id, d.destination_id, d.attempt_count, d.ordering_key, e.headers, e.body, dest.rate_limited, dest.at
    ), logged AS (
      INSERT INTO destination_rate_claims (destination_id, claimed_at, delivery_id)
      SELECT claimed.destination_id, claimed.at, claimed.id FROM claimed WHERE claimed.rate_limited
    ), trimmed AS (
      DELETE FROM destination_rate_claims c USING dest
      WHERE dest.rate_limited AND c.destination_id = dest.id AND c.claimed_at < dest.at - make_interval(secs => p_keep_seconds)
    )
    SELECT claimed.id, claimed.event_id, claimed.destination_id, claimed.attempt_count, claimed.ordering_key, claimed.headers, claimed.body,
           NULL::int, NULL::int
    FROM claimed;
  END IF;

  -- The summary row: how many destinations another worker held, and when a rate-limited one frees up.
  RETURN QUERY SELECT NULL::uuid, NULL::uuid, NULL::uuid, NULL::int, NULL::text, NULL::jsonb, NULL::bytea, v_busy, v_rate_wait;
END
$$;
