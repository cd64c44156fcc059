/** The sources the source rules look at, read once per rule evaluation (a small table). */
import type { RuleSql } from './rule';

export interface SourceTarget {
  id: string;
  name: string;
  status: 'active' | 'disabled';
  alertSettings: unknown;
  createdAt: Date;
}

export async function loadSourceTargets(sql: RuleSql): Promise<SourceTarget[]> {
  const rows = await sql<{ id: string; name: string; status: SourceTarget['status']; alert_settings: unknown; created_at: Date }[]>`
    SELECT id::text, name, status::text AS status, alert_settings, created_at FROM sources`;
  return rows.map((row) => ({ id: row.id, name: row.name, status: row.status, alertSettings: row.alert_settings, createdAt: row.created_at }));
}
