/**
 * Rejected requests are recorded for the dashboard with the reason and the first 4 KiB of the
 * body, at a bounded rate per source (a token bucket per process: 5 a second, bursts of 20) so a
 * flood cannot fill the database. Every rejection is still counted for the charts.
 */
import { sql } from '@/lib/db/sql';
import { newId } from '@/lib/db/ids';
import { BufferedFlusher } from '@/lib/db/buffered-flusher';
import { countIngest } from './ingest-stats';

const PREVIEW_BYTES = 4096;
const RATE_PER_SECOND = 5;
const BURST = 20;

export interface Rejection {
  sourceId: string;
  reason: string;
  detail?: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
  size: number;
  ip: string | null;
}

interface Row {
  id: string;
  sourceId: string;
  receivedAt: Date;
  reason: string;
  detail: string | null;
  status: number;
  headers: string;
  preview: Buffer;
  size: number;
  ip: string | null;
}

const buckets = new Map<string, { tokens: number; at: number }>();

function allow(sourceId: string, nowMs: number): boolean {
  const bucket = buckets.get(sourceId) ?? { tokens: BURST, at: nowMs };
  bucket.tokens = Math.min(BURST, bucket.tokens + ((nowMs - bucket.at) / 1000) * RATE_PER_SECOND);
  bucket.at = nowMs;
  buckets.set(sourceId, bucket);
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

async function writeRows(rows: Row[]): Promise<void> {
  await sql()`
    INSERT INTO rejected_requests (id, source_id, received_at, reason, detail, status, headers, body_preview, size, source_ip)
    SELECT id, source_id, received_at, reason, detail, status, headers::jsonb, decode(body_preview, 'hex'), size, source_ip
    FROM unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => r.sourceId)}::uuid[], ${rows.map((r) => r.receivedAt.toISOString())}::timestamptz[],
                ${rows.map((r) => r.reason)}::text[], ${rows.map((r) => r.detail)}::text[], ${rows.map((r) => r.status)}::int[],
                ${rows.map((r) => r.headers)}::text[], ${rows.map((r) => r.preview.toString('hex'))}::text[], ${rows.map((r) => r.size)}::int[],
                ${rows.map((r) => r.ip)}::text[])
      AS t(id, source_id, received_at, reason, detail, status, headers, body_preview, size, source_ip)`;
}

const globalRejections = globalThis as unknown as { hookyardRejections?: BufferedFlusher<Row> };

function flusher(): BufferedFlusher<Row> {
  globalRejections.hookyardRejections ??= new BufferedFlusher('rejections', 250, writeRows, 1_000);
  return globalRejections.hookyardRejections;
}

export function recordRejection(rejection: Rejection, now = new Date()): void {
  countIngest(rejection.sourceId, 'rejected', now.getTime());
  if (!allow(rejection.sourceId, now.getTime())) return;
  flusher().add({
    id: newId(),
    sourceId: rejection.sourceId,
    receivedAt: now,
    reason: rejection.reason,
    detail: rejection.detail?.slice(0, 500) ?? null,
    status: rejection.status,
    headers: JSON.stringify(rejection.headers),
    preview: rejection.body ? rejection.body.subarray(0, PREVIEW_BYTES) : Buffer.alloc(0),
    size: rejection.size,
    ip: rejection.ip,
  });
}

export function flushRejections(): Promise<void> {
  return flusher().flush();
}
