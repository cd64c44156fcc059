/** The destinations the destination rules look at, read once per evaluation (a small table). */
import { type DestinationAlertSettings, effectiveDestinationAlertSettings } from '../alert-settings';
import type { RuleSql } from './rule';

export interface DestinationTarget {
  id: string;
  name: string;
  status: 'active' | 'paused' | 'disabled';
  circuitState: string;
  settings: DestinationAlertSettings;
}

export async function loadDestinationTargets(sql: RuleSql): Promise<DestinationTarget[]> {
  const rows = await sql<{ id: string; name: string; status: DestinationTarget['status']; circuit_state: string; alert_settings: unknown }[]>`
    SELECT id::text, name, status::text AS status, circuit_state::text AS circuit_state, alert_settings FROM destinations`;
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    status: row.status,
    circuitState: row.circuit_state,
    settings: effectiveDestinationAlertSettings(row.alert_settings),
  }));
}

/** Why a destination that is not active is not judged: the resolution of its open alert. */
export function inactiveResolution(target: DestinationTarget): string {
  return target.status === 'paused' ? 'the destination was paused' : 'the destination was disabled';
}
