/**
 * Everything the overview shows, in one call shared by the page and `GET /api/v1/overview`.
 * The statements run at the same time on separate pooled connections; none reads events, and
 * each is served by an index (see overview-series.ts and queue-stats.ts).
 */
import { type Sql, sql as defaultSql } from '@/lib/db/sql';
import type { OverviewQuery } from './overview.schema';
import { loadOverviewSeries, type OverviewSeries } from './overview-series';
import { loadQueueStats, type QueueStats } from './queue-stats';

export interface OverviewAlert {
  id: string;
  kind: string;
  message: string;
  count: number;
  createdAt: string;
  destination: { id: string; name: string } | null;
}

export interface OverviewScopeOption {
  id: string;
  name: string;
  status: string;
}

export interface Overview extends OverviewSeries {
  filter: { sourceId: string | null; destinationId: string | null };
  queue: QueueStats;
  openAlerts: { count: number; latest: OverviewAlert[] };
  counts: { activeSources: number; sources: number; activeDestinations: number; destinations: number };
}

export interface OverviewWithScopes extends Overview {
  /** What the filter can select: every source and destination by name. */
  scopes: { sources: OverviewScopeOption[]; destinations: OverviewScopeOption[] };
}

async function loadOpenAlerts(sql: Sql, destinationId?: string): Promise<Overview['openAlerts']> {
  const scope = destinationId ? sql`AND a.destination_id = ${destinationId}::uuid` : sql``;
  const [latest, [count]] = await Promise.all([
    sql<
      { id: string; kind: string; message: string; count: number | null; created_at: Date; destination_id: string | null; destination_name: string | null }[]
    >`
      SELECT a.id, a.kind::text AS kind, a.message, (a.details->>'count')::int AS count, a.created_at,
             a.destination_id, d.name AS destination_name
      FROM alerts a LEFT JOIN destinations d ON d.id = a.destination_id
      WHERE a.status = 'open' ${scope}
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT 5`,
    sql<{ n: number }[]>`SELECT count(*)::int AS n FROM alerts a WHERE a.status = 'open' ${scope}`,
  ]);
  return {
    count: count?.n ?? 0,
    latest: latest.map((row) => ({
      id: row.id,
      kind: row.kind,
      message: row.message,
      count: row.count ?? 1,
      createdAt: row.created_at.toISOString(),
      destination: row.destination_id ? { id: row.destination_id, name: row.destination_name ?? 'Deleted destination' } : null,
    })),
  };
}

async function loadScopes(sql: Sql): Promise<OverviewWithScopes['scopes']> {
  const [sources, destinations] = await Promise.all([
    sql<OverviewScopeOption[]>`SELECT id, name, status::text AS status FROM sources ORDER BY lower(name), id`,
    sql<OverviewScopeOption[]>`SELECT id, name, status::text AS status FROM destinations ORDER BY lower(name), id`,
  ]);
  return { sources: [...sources], destinations: [...destinations] };
}

export async function loadOverviewWithScopes(query: OverviewQuery, options: { sql?: Sql; now?: Date } = {}): Promise<OverviewWithScopes> {
  const sql = options.sql ?? defaultSql();
  const now = options.now ?? new Date();
  const [series, queue, openAlerts, scopes] = await Promise.all([
    loadOverviewSeries(query, { sql, now }),
    loadQueueStats({ sourceId: query.sourceId, destinationId: query.destinationId }, { sql, now }),
    loadOpenAlerts(sql, query.destinationId),
    loadScopes(sql),
  ]);
  return {
    ...series,
    filter: { sourceId: query.sourceId ?? null, destinationId: query.destinationId ?? null },
    queue,
    openAlerts,
    counts: {
      activeSources: scopes.sources.filter((source) => source.status === 'active').length,
      sources: scopes.sources.length,
      activeDestinations: scopes.destinations.filter((destination) => destination.status !== 'disabled').length,
      destinations: scopes.destinations.length,
    },
    scopes,
  };
}

/** The JSON API's answer: the page's data without the filter's option lists. */
export async function loadOverview(query: OverviewQuery, options: { sql?: Sql; now?: Date } = {}): Promise<Overview> {
  const { scopes: _scopes, ...overview } = await loadOverviewWithScopes(query, options);
  return overview;
}
