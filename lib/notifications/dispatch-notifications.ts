/**
 * The notification dispatcher, run by every worker process about once a second
 * (scripts/worker.ts). It sends the outbox `alert_notifications` that raiseAlert and the
 * resolutions queue (lib/alerts/alert-notifications.ts), and it is the only writer of their
 * status. docs/notifications.md explains the numbers.
 *
 *  - Claim. In one transaction: the channels that have due notifications and whose throttle gate
 *    (`next_message_at`) is open, locked FOR UPDATE SKIP LOCKED; for each, up to MAX_PER_MESSAGE
 *    due rows, leased (`locked_until`, `lease_token`) and counted as an attempt; and each
 *    channel's gate moved `minIntervalMs` ahead. Any number of dispatchers on any number of
 *    machines can run this at once: a channel is claimed by one of them, its rows by that one,
 *    and no other sends to it before the gate opens again. A dispatcher that dies leaves leases
 *    that expire; the next claim takes the rows over (the lost try counted as an attempt).
 *  - Gather and fold. A notification is due `gatherMs` after it was queued, so that what one
 *    incident raises within seconds (a hundred destinations failing together) is claimed
 *    together; all of one channel's due rows go out as ONE message, a digest when there are
 *    several (the first DIGEST_LISTED listed, the rest counted). Each row is marked `sent` with
 *    `digest_size`, the number of notifications its message carried, so its history says so.
 *  - Send, then record, but only rows this claim still holds (`lease_token`). A failure keeps the
 *    rows pending with exponential backoff until MAX_ATTEMPTS, then `failed`.
 *  - Channel health: a success clears the failure run, stamps `last_sent_at` and resolves the
 *    channel's `notification_failing` alert; a failure counts (`consecutive_failures`,
 *    `failing_since`, `last_error`), and FAILING_AFTER failures in a row, or failing for
 *    FAILING_FOR_MS, raise `notification_failing` about the channel (sent to the other channels).
 *  - A disabled channel's pending rows are `suppressed`: it asked not to be told.
 */
import { randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { AlertKind } from '@/lib/alerts/alerts.schema';
import { raiseAlert } from '@/lib/alerts/raise-alert';
import { resolveAlertsBySystem } from '@/lib/alerts/resolve-cleared-alerts';
import type { Sql } from '@/lib/db/sql';
import { logger } from '@/lib/log/logger';
import type { ChannelType } from './channels.schema';
import { type AlertFacts, dashboardBaseUrl, type NotificationEventName, type NotificationItem } from './notification-message';
import { describeFailure, type SendResult } from './send-result';
import { type ChannelToSend, sendToChannel } from './send-to-channel';

/** A notification waits this long after it was queued, so that an incident's notifications go together. */
export const GATHER_MS = 2_000;
/** At most one message per channel per this interval: a storm becomes a digest every interval, not a message per alert. */
export const MIN_INTERVAL_MS = 30_000;
/** Most notifications one message carries; more wait for the next interval. */
export const MAX_PER_MESSAGE = 200;
/** Tries of one notification, then `failed`. With the backoff below: about 40 minutes of trying. */
export const MAX_ATTEMPTS = 8;
/** Retry n waits BACKOFF_BASE_MS × 2^(n-1) (±20 %), at most BACKOFF_CAP_MS. */
export const BACKOFF_BASE_MS = 10_000;
export const BACKOFF_CAP_MS = 30 * 60_000;
/** A channel is failing (notification_failing) after this many failed messages in a row… */
export const FAILING_AFTER = 3;
/** …or once it has been failing this long, whichever comes first. */
export const FAILING_FOR_MS = 10 * 60_000;
/** A claimed notification's lease: the send's timeout (10 s) with room to record it. */
export const LEASE_MS = 60_000;

export const CHANNEL_RECOVERED = 'a message to the channel got through';

export interface DispatchOptions {
  gatherMs?: number;
  minIntervalMs?: number;
  maxPerMessage?: number;
  maxAttempts?: number;
  backoffBaseMs?: number;
  failingAfter?: number;
  failingForMs?: number;
  leaseMs?: number;
  /** Most channels one run sends to. */
  channelsPerRun?: number;
  /** The dashboard's base URL for links (default HOOKYARD_PUBLIC_URL). */
  baseUrl?: string;
}

export interface DispatchReport {
  /** Messages sent (or tried): one per channel claimed. */
  messages: number;
  sent: number;
  retrying: number;
  failed: number;
  suppressed: number;
}

interface ClaimedChannel extends ChannelToSend {
  token: string;
  rows: ClaimedRow[];
}

interface ClaimedRow {
  id: string;
  alert_id: string | null;
  event: NotificationEventName;
  attempts: number;
  created_at: Date;
}

interface AlertRow {
  id: string;
  kind: AlertKind;
  status: AlertFacts['status'];
  message: string;
  details: { count?: unknown; resolution?: unknown } | null;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  target_type: 'destination' | 'source' | 'channel' | null;
  target_id: string | null;
  target_name: string | null;
}

function withDefaults(options: DispatchOptions): Required<Omit<DispatchOptions, 'baseUrl'>> & { baseUrl: string | undefined } {
  return {
    gatherMs: options.gatherMs ?? GATHER_MS,
    minIntervalMs: options.minIntervalMs ?? MIN_INTERVAL_MS,
    maxPerMessage: options.maxPerMessage ?? MAX_PER_MESSAGE,
    maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
    backoffBaseMs: options.backoffBaseMs ?? BACKOFF_BASE_MS,
    failingAfter: options.failingAfter ?? FAILING_AFTER,
    failingForMs: options.failingForMs ?? FAILING_FOR_MS,
    leaseMs: options.leaseMs ?? LEASE_MS,
    channelsPerRun: options.channelsPerRun ?? 20,
    baseUrl: options.baseUrl,
  };
}

/** A disabled channel's pending notifications will not be sent: marked so in their history. */
async function suppressDisabled(sql: Sql): Promise<number> {
  const rows = await sql`
    UPDATE alert_notifications n SET status = 'suppressed', last_error = 'the channel is disabled', locked_until = NULL
    FROM notification_channels c
    WHERE n.channel_id = c.id AND NOT c.enabled AND n.status = 'pending'
    RETURNING n.id`;
  return rows.length;
}

async function claim(sql: Sql, o: ReturnType<typeof withDefaults>): Promise<ClaimedChannel[]> {
  return sql.begin(async (tx) => {
    const due = (t: postgres.TransactionSql) => t`
      n.status = 'pending' AND n.next_attempt_at <= now() AND n.created_at <= now() - make_interval(secs => ${o.gatherMs / 1000})
      AND (n.locked_until IS NULL OR n.locked_until < now())`;
    const channels = await tx<{ id: string; name: string; type: ChannelType; url_ciphertext: Uint8Array | null; to: string[] }[]>`
      SELECT c.id, c.name, c.type, c.url_ciphertext, c."to"
      FROM notification_channels c
      WHERE c.enabled AND (c.next_message_at IS NULL OR c.next_message_at <= now())
        AND EXISTS (SELECT 1 FROM alert_notifications n WHERE n.channel_id = c.id AND ${due(tx)})
      ORDER BY c.next_message_at NULLS FIRST, c.id
      LIMIT ${o.channelsPerRun}
      FOR UPDATE OF c SKIP LOCKED`;
    const claimed: ClaimedChannel[] = [];
    for (const channel of channels) {
      const token = randomUUID();
      const rows = await tx<ClaimedRow[]>`
        UPDATE alert_notifications SET locked_until = now() + make_interval(secs => ${o.leaseMs / 1000}), lease_token = ${token}, attempts = attempts + 1
        WHERE id IN (
          SELECT n.id FROM alert_notifications n WHERE n.channel_id = ${channel.id} AND ${due(tx)}
          ORDER BY n.created_at, n.id LIMIT ${o.maxPerMessage} FOR UPDATE SKIP LOCKED)
        RETURNING id, alert_id, event, attempts, created_at`;
      if (rows.length === 0) continue;
      // Oldest first, as a digest lists them (ids are random UUIDs, not time-ordered).
      rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
      claimed.push({ id: channel.id, name: channel.name, type: channel.type, urlCiphertext: channel.url_ciphertext, to: channel.to ?? [], token, rows });
    }
    if (claimed.length > 0) {
      await tx`UPDATE notification_channels SET next_message_at = now() + make_interval(secs => ${o.minIntervalMs / 1000})
        WHERE id = ANY(${claimed.map((c) => c.id)}::uuid[])`;
    }
    return claimed;
  });
}

async function loadAlerts(sql: Sql, ids: string[]): Promise<Map<string, AlertFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<AlertRow[]>`
    SELECT a.id, a.kind, a.status, a.message, a.details, a.created_at, a.resolved_at, a.resolved_by,
      CASE WHEN a.destination_id IS NOT NULL THEN 'destination' WHEN a.source_id IS NOT NULL THEN 'source' WHEN a.channel_id IS NOT NULL THEN 'channel' END AS target_type,
      COALESCE(a.destination_id, a.source_id, a.channel_id) AS target_id,
      COALESCE(d.name, s.name, c.name) AS target_name
    FROM alerts a
    LEFT JOIN destinations d ON d.id = a.destination_id
    LEFT JOIN sources s ON s.id = a.source_id
    LEFT JOIN notification_channels c ON c.id = a.channel_id
    WHERE a.id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((row) => [row.id, toAlertFacts(row)]));
}

function toAlertFacts(row: AlertRow): AlertFacts {
  const count = typeof row.details?.count === 'number' ? row.details.count : 1;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    message: row.message,
    count,
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id, name: row.target_name ?? '(deleted)' } : null,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    resolution: typeof row.details?.resolution === 'string' ? row.details.resolution : null,
  };
}

/** The wait before retry `attempts + 1`: exponential, capped, with ±20 % jitter so that many rows do not retry in step. */
function backoffSql(sql: Sql, o: ReturnType<typeof withDefaults>): postgres.Fragment {
  return sql`make_interval(secs => LEAST(${o.backoffBaseMs / 1000}::float8 * power(2, attempts - 1), ${BACKOFF_CAP_MS / 1000}::float8) * (0.8 + random() * 0.4))`;
}

/** A success: the rows are sent, the channel is healthy again, and its notification_failing alert resolves. */
export async function recordChannelSuccess(sql: Sql | postgres.TransactionSql, channelId: string): Promise<void> {
  await sql`UPDATE notification_channels SET consecutive_failures = 0, failing_since = NULL, last_error = NULL, last_sent_at = now() WHERE id = ${channelId}`;
  await resolveAlertsBySystem(sql, sql`a.channel_id = ${channelId} AND a.kind = 'notification_failing'`, CHANNEL_RECOVERED);
}

async function record(sql: Sql, channel: ClaimedChannel, result: SendResult, o: ReturnType<typeof withDefaults>, report: DispatchReport): Promise<void> {
  const ids = channel.rows.map((row) => row.id);
  const size = ids.length;
  if (result.ok) {
    await sql.begin(async (tx) => {
      const rows = await tx`
        UPDATE alert_notifications SET status = 'sent', sent_at = now(), last_error = NULL, locked_until = NULL, digest_size = ${size}
        WHERE id = ANY(${ids}::uuid[]) AND lease_token = ${channel.token} AND status = 'pending'
        RETURNING id`;
      report.sent += rows.length;
      await recordChannelSuccess(tx, channel.id);
    });
    return;
  }
  const error = describeFailure(result)!;
  await sql.begin(async (tx) => {
    const rows = await tx<{ status: string }[]>`
      UPDATE alert_notifications SET
        status = CASE WHEN attempts >= ${o.maxAttempts} THEN 'failed'::"NotificationStatus" ELSE 'pending'::"NotificationStatus" END,
        next_attempt_at = now() + ${backoffSql(sql, o)},
        last_error = ${error}, locked_until = NULL, digest_size = ${size}
      WHERE id = ANY(${ids}::uuid[]) AND lease_token = ${channel.token} AND status = 'pending'
      RETURNING status`;
    for (const row of rows) {
      if (row.status === 'failed') report.failed++;
      else report.retrying++;
    }
    const [health] = await tx<{ consecutive_failures: number; failing_since: Date }[]>`
      UPDATE notification_channels SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, now()), last_error = ${error}
      WHERE id = ${channel.id}
      RETURNING consecutive_failures, failing_since`;
    if (!health) return;
    const failingForMs = Date.now() - health.failing_since.getTime();
    if (health.consecutive_failures >= o.failingAfter || failingForMs >= o.failingForMs) {
      await raiseAlert(tx, {
        kind: 'notification_failing',
        channelId: channel.id,
        message: `Messages to the ${channel.type} channel "${channel.name}" keep failing (${health.consecutive_failures} in a row): ${error}`,
        details: { consecutiveFailures: health.consecutive_failures, failingSince: health.failing_since.toISOString(), lastError: error },
      });
    }
  });
}

/** One run: suppress, claim, send (channels in parallel), record. Returns what it did. */
export async function dispatchNotifications(sql: Sql, options: DispatchOptions = {}): Promise<DispatchReport> {
  const o = withDefaults(options);
  const report: DispatchReport = { messages: 0, sent: 0, retrying: 0, failed: 0, suppressed: await suppressDisabled(sql) };
  const channels = await claim(sql, o);
  if (channels.length === 0) return report;
  const alerts = await loadAlerts(sql, [
    ...new Set(channels.flatMap((channel) => channel.rows.map((row) => row.alert_id).filter((id): id is string => id !== null))),
  ]);
  const baseUrl = o.baseUrl ?? dashboardBaseUrl();
  await Promise.all(
    channels.map(async (channel) => {
      // An alert deleted since (its destination was) leaves nothing to say: those rows are suppressed.
      const items: NotificationItem[] = channel.rows
        .map((row) => ({ notificationId: row.id, event: row.event, alert: row.alert_id ? (alerts.get(row.alert_id) ?? null) : null }))
        .filter((item) => item.alert !== null);
      if (items.length === 0) {
        const ids = channel.rows.map((row) => row.id);
        await sql`UPDATE alert_notifications SET status = 'suppressed', last_error = 'the alert no longer exists', locked_until = NULL WHERE id = ANY(${ids}::uuid[]) AND lease_token = ${channel.token}`;
        report.suppressed += ids.length;
        return;
      }
      report.messages++;
      const result = await sendToChannel(channel, items, baseUrl);
      if (!result.ok)
        logger.warn({ channel: channel.id, type: channel.type, notifications: items.length, error: describeFailure(result) }, 'notification not delivered');
      await record(sql, channel, result, o, report);
    }),
  );
  return report;
}
