/**
 * Circuit breaker and auto-disable, per destination. A run of `CIRCUIT_THRESHOLD` failures
 * opens the circuit: nothing is sent for a cool-down (30 s, doubling after each failed probe, at
 * most 10 min); then one delivery probes. A success closes it. A destination that has failed
 * without a single success for `disable_after_seconds` (default 5 days) is disabled, with an alert.
 */
import type { Sql } from '@/lib/db/sql';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { resolveCircuitOpenAlert } from '@/lib/alerts/resolve-cleared-alerts';

export const CIRCUIT_THRESHOLD = 10;
const BASE_COOLDOWN_MS = 30_000;
const MAX_COOLDOWN_MS = 10 * 60_000;

export interface HealthUpdate {
  destinationId: string;
  /** Outcomes in the order they finished: true = success. */
  outcomes: boolean[];
  firstFailureAt: Date | null;
}

export interface Circuit {
  state: string;
  openedAt: Date | null;
  retryAt: Date | null;
}

/**
 * The circuit after a batch of outcomes whose run of failures is now `failures` long (a success
 * closes it elsewhere). A failure while open and due for a probe is a failed probe: open again for
 * twice the last cool-down, at most MAX_COOLDOWN_MS. A closed circuit opens at CIRCUIT_THRESHOLD
 * failures for BASE_COOLDOWN_MS (`justOpened`: the moment to alert). Otherwise nothing changes.
 */
export function nextCircuit(circuit: Circuit, failures: number, now: Date): Circuit & { justOpened: boolean } {
  if (circuit.state !== 'closed' && (!circuit.retryAt || circuit.retryAt <= now)) {
    const previous = circuit.openedAt && circuit.retryAt ? circuit.retryAt.getTime() - circuit.openedAt.getTime() : BASE_COOLDOWN_MS;
    const cooldown = Math.min(MAX_COOLDOWN_MS, previous * 2);
    return { state: 'open', openedAt: now, retryAt: new Date(now.getTime() + cooldown), justOpened: false };
  }
  if (circuit.state === 'closed' && failures >= CIRCUIT_THRESHOLD) {
    return { state: 'open', openedAt: now, retryAt: new Date(now.getTime() + BASE_COOLDOWN_MS), justOpened: true };
  }
  return { ...circuit, justOpened: false };
}

/** Destinations known (by this process) to have no failures recorded: a success there writes nothing. */
const knownHealthy = new Set<string>();

export async function updateDestinationHealth(sql: Sql, update: HealthUpdate, now = new Date()): Promise<void> {
  const lastOk = update.outcomes[update.outcomes.length - 1] === true;
  if (lastOk && knownHealthy.has(update.destinationId)) return;
  let trailingFailures = 0;
  for (let i = update.outcomes.length - 1; i >= 0 && !update.outcomes[i]; i--) trailingFailures++;

  const alerts: Parameters<typeof raiseAlert>[1][] = [];
  let disabled = false;
  await sql.begin(async (tx) => {
    const [row] = await tx<
      {
        status: string;
        circuit_state: string;
        circuit_opened_at: Date | null;
        circuit_retry_at: Date | null;
        consecutive_failures: number;
        failing_since: Date | null;
        disable_after_seconds: number;
        name: string;
      }[]
    >`SELECT status, circuit_state, circuit_opened_at, circuit_retry_at, consecutive_failures, failing_since, disable_after_seconds, name
      FROM destinations WHERE id = ${update.destinationId} FOR UPDATE`;
    if (!row) return;
    if (lastOk) {
      await tx`UPDATE destinations SET consecutive_failures = 0, failing_since = NULL, circuit_state = 'closed',
               circuit_opened_at = NULL, circuit_retry_at = NULL WHERE id = ${update.destinationId}`;
      knownHealthy.add(update.destinationId);
      // The circuit is closed now: its alert is over (resolved by the system, same transaction).
      await resolveCircuitOpenAlert(tx, update.destinationId);
      return;
    }
    knownHealthy.delete(update.destinationId);
    const failures = row.consecutive_failures + trailingFailures;
    const failingSince = row.failing_since ?? update.firstFailureAt ?? now;
    const next = nextCircuit({ state: row.circuit_state, openedAt: row.circuit_opened_at, retryAt: row.circuit_retry_at }, failures, now);
    const { state: circuitState, openedAt, retryAt } = next;
    if (next.justOpened) {
      alerts.push({
        kind: 'destination_circuit_open',
        destinationId: update.destinationId,
        message: `${row.name}: ${failures} failures in a row; sending paused for a cool-down, then probing`,
      });
    }
    disabled = row.status === 'active' && now.getTime() - failingSince.getTime() >= row.disable_after_seconds * 1000;
    if (disabled) {
      alerts.push({
        kind: 'destination_disabled',
        destinationId: update.destinationId,
        message: `${row.name} was disabled after failing without a success since ${failingSince.toISOString()}`,
      });
    }
    await tx`UPDATE destinations SET consecutive_failures = ${failures}, failing_since = ${failingSince},
             circuit_state = ${circuitState}::"CircuitState", circuit_opened_at = ${openedAt}, circuit_retry_at = ${retryAt},
             status = CASE WHEN ${disabled} THEN 'disabled'::"DestinationStatus" ELSE status END,
             disabled_at = CASE WHEN ${disabled} THEN ${now} ELSE disabled_at END
             WHERE id = ${update.destinationId}`;
    // In the same transaction: whoever sees the destination disabled (or its circuit open) sees why.
    for (const alert of alerts) await raiseAlert(tx, alert);
  });
  if (disabled) await sql`SELECT pg_notify('hookyard_config', '')`.then(() => undefined);
}
