/**
 * The notification dispatcher, run by every worker process about once a second
 * (scripts/worker.ts). It sends the outbox `alert_notifications` that raiseAlert and the
 * resolutions queue (lib/alerts/alert-notifications.ts), and it is the only writer of their
 * status. Storms are grouped for people and throttled for machines; docs/notifications.md
 * explains the numbers.
 *
 *  - Claim. In one transaction: the channels that have due notifications and whose gate
 *    (`next_message_at`) is open, locked FOR UPDATE SKIP LOCKED; for each, its due rows (up to
 *    MAX_PER_MESSAGE for Slack and email, WEBHOOK_PER_RUN for a webhook), leased (`locked_until`,
 *    `lease_token`) and counted as an attempt; and each channel's gate moved ahead (below). Any
 *    number of dispatchers on any number of machines can run this at once: a channel is claimed
 *    by one of them, its rows by that one, and no other sends to it before the gate opens again.
 *    A dispatcher that dies leaves leases that expire; the next claim takes the rows over (the
 *    lost try counted as an attempt).
 *  - Gather. A notification is due `gatherMs` after it was queued, so that what one incident
 *    raises within seconds (a hundred destinations failing together) is claimed together.
 *  - Slack and email (people): all of one channel's due rows go out as ONE message. One row is
 *    that notification alone, and the gate moves only CALM_INTERVAL_MS ahead, so a resolve that
 *    follows its raise is not held back. Several rows are a digest (the first DIGEST_LISTED
 *    listed, the rest counted), and the gate moves MIN_INTERVAL_MS ahead: a storm is at most one
 *    digest per channel per interval. Each row is marked `sent` with `digest_size`, the number of
 *    notifications its message carried.
 *  - Webhooks (machines): never folded. Each row is its own POST in SPEC's shape, sent one after
 *    another and each recorded on its own (digest_size 1). The gate stays shut while the run
 *    sends (a lease's length) and opens CALM_INTERVAL_MS after the claim (or when the run ends, if
 *    later), so a storm reaches a receiver at most WEBHOOK_PER_RUN at a time and about that many
 *    per second, whatever the number of dispatchers. The run stops at the
 *    first failure (the receiver is struggling; the rest wait for the next run, their attempt
 *    not counted) and before a send could outlast the lease.
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
import { CHANNEL_TIMEOUT_MS } from './post-json';
import { describeFailure, notDelivered, type SendResult } from './send-result';
import { type ChannelToSend, sendToChannel } from './send-to-channel';

/** A notification waits this long after it was queued, so that an incident's notifications go together. */
export const GATHER_MS = 2_000;
/** After a digest, a Slack or email channel's next message waits this long: a storm becomes a digest every interval, not a message per alert. */
export const MIN_INTERVAL_MS = 30_000;
/** After a single message (or a webhook run), the channel's next may go this soon: a calm channel hears of each change at once. */
export const CALM_INTERVAL_MS = 1_000;
/** Most notifications one Slack or email message carries; more wait for the next interval. */
export const MAX_PER_MESSAGE = 200;
/** Most notifications a webhook channel is sent per run, one POST each, one after another. */
export const WEBHOOK_PER_RUN = 10;
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
  /** The gate after a digest. */
  minIntervalMs?: number;
  /** The gate after a single message or a webhook run; never longer than `minIntervalMs` (so `minIntervalMs: 0` means no gate at all). */
  calmIntervalMs?: number;
  maxPerMessage?: number;
  webhookPerRun?: number;
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
  /** Messages sent (or tried): a Slack or email message (single or digest), or one webhook POST. */
  messages: number;
  sent: number;
  retrying: number;
  failed: number;
  suppressed: number;
}

interface ClaimedChannel extends ChannelToSend {
  token: string;
  rows: ClaimedRow[];
  /** The gate this claim set (a webhook's, opened again when its run is over). */
  gate: Date;
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
    calmIntervalMs: Math.min(options.calmIntervalMs ?? CALM_INTERVAL_MS, options.minIntervalMs ?? MIN_INTERVAL_MS),
    maxPerMessage: options.maxPerMessage ?? MAX_PER_MESSAGE,
    webhookPerRun: options.webhookPerRun ?? WEBHOOK_PER_RUN,
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

type Options = ReturnType<typeof withDefaults>;

const seconds = (ms: number) => ms / 1000;

/** How long the claim shuts the channel's gate: a webhook's for the whole run, Slack's and email's by what the message is. */
function gateMs(type: ChannelType, claimed: number, o: Options): number {
  if (type === 'webhook') return o.leaseMs;
  return claimed > 1 ? o.minIntervalMs : o.calmIntervalMs;
}

async function claim(sql: Sql, o: Options): Promise<ClaimedChannel[]> {
  return sql.begin(async (tx) => {
    const due = (t: postgres.TransactionSql) => t`
      n.status = 'pending' AND n.next_attempt_at <= now() AND n.created_at <= now() - make_interval(secs => ${seconds(o.gatherMs)})
      AND (n.locked_until IS NULL OR n.locked_until < now())
      -- An alert's notifications go out in order: its "resolved" waits while its "raised" is retried.
      AND NOT EXISTS (SELECT 1 FROM alert_notifications p WHERE p.channel_id = n.channel_id AND p.alert_id = n.alert_id
                        AND p.status = 'pending' AND (p.created_at, p.id) < (n.created_at, n.id))`;
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
      const limit = channel.type === 'webhook' ? o.webhookPerRun : o.maxPerMessage;
      const rows = await tx<ClaimedRow[]>`
        UPDATE alert_notifications SET locked_until = now() + make_interval(secs => ${seconds(o.leaseMs)}), lease_token = ${token}, attempts = attempts + 1
        WHERE id IN (
          SELECT n.id FROM alert_notifications n WHERE n.channel_id = ${channel.id} AND ${due(tx)}
          ORDER BY n.created_at, n.id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id, alert_id, event, attempts, created_at`;
      if (rows.length === 0) continue;
      // Oldest first, as a digest lists them and a webhook receives them (ids are random UUIDs, not time-ordered).
      rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : 1));
      const [gate] = await tx<{ next_message_at: Date }[]>`
        UPDATE notification_channels SET next_message_at = now() + make_interval(secs => ${seconds(gateMs(channel.type, rows.length, o))})
        WHERE id = ${channel.id}
        RETURNING next_message_at`;
      claimed.push({
        id: channel.id,
        name: channel.name,
        type: channel.type,
        urlCiphertext: channel.url_ciphertext,
        to: channel.to ?? [],
        token,
        rows,
        gate: gate!.next_message_at,
      });
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
function backoffSql(sql: Sql, o: Options): postgres.Fragment {
  return sql`make_interval(secs => LEAST(${o.backoffBaseMs / 1000}::float8 * power(2, attempts - 1), ${BACKOFF_CAP_MS / 1000}::float8) * (0.8 + random() * 0.4))`;
}

/** A success: the rows are sent, the channel is healthy again, and its notification_failing alert resolves. */
export async function recordChannelSuccess(sql: Sql | postgres.TransactionSql, channelId: string): Promise<void> {
  await sql`UPDATE notification_channels SET consecutive_failures = 0, failing_since = NULL, last_error = NULL, last_sent_at = now() WHERE id = ${channelId}`;
  await resolveAlertsBySystem(sql, sql`a.channel_id = ${channelId} AND a.kind = 'notification_failing'`, CHANNEL_RECOVERED);
}

/** The outcome of one message: `rows` are the notifications it carried (one for a webhook POST). */
async function record(sql: Sql, channel: ClaimedChannel, rows: ClaimedRow[], result: SendResult, o: Options, report: DispatchReport): Promise<void> {
  const ids = rows.map((row) => row.id);
  const size = ids.length;
  if (result.ok) {
    await sql.begin(async (tx) => {
      const sent = await tx`
        UPDATE alert_notifications SET status = 'sent', sent_at = now(), last_error = NULL, locked_until = NULL, digest_size = ${size}
        WHERE id = ANY(${ids}::uuid[]) AND lease_token = ${channel.token} AND status = 'pending'
        RETURNING id`;
      report.sent += sent.length;
      await recordChannelSuccess(tx, channel.id);
    });
    return;
  }
  const error = describeFailure(result)!;
  await sql.begin(async (tx) => {
    const kept = await tx<{ status: string }[]>`
      UPDATE alert_notifications SET
        status = CASE WHEN attempts >= ${o.maxAttempts} THEN 'failed'::"NotificationStatus" ELSE 'pending'::"NotificationStatus" END,
        next_attempt_at = now() + ${backoffSql(sql, o)},
        last_error = ${error}, locked_until = NULL, digest_size = ${size}
      WHERE id = ANY(${ids}::uuid[]) AND lease_token = ${channel.token} AND status = 'pending'
      RETURNING status`;
    for (const row of kept) {
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

/** Rows whose alert was deleted since (its destination was): nothing left to say, so they are suppressed. */
async function suppressOrphans(sql: Sql, channel: ClaimedChannel, rows: ClaimedRow[], report: DispatchReport): Promise<void> {
  if (rows.length === 0) return;
  const ids = rows.map((row) => row.id);
  await sql`UPDATE alert_notifications SET status = 'suppressed', last_error = 'the alert no longer exists', locked_until = NULL
    WHERE id = ANY(${ids}::uuid[]) AND lease_token = ${channel.token} AND status = 'pending'`;
  report.suppressed += ids.length;
}

/** Rows a webhook run claimed but did not try: back to due, their attempt not counted. */
async function release(sql: Sql, channel: ClaimedChannel, rows: ClaimedRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`UPDATE alert_notifications SET locked_until = NULL, lease_token = NULL, attempts = attempts - 1
    WHERE id = ANY(${rows.map((row) => row.id)}::uuid[]) AND lease_token = ${channel.token} AND status = 'pending'`;
}

interface Send {
  channel: ClaimedChannel;
  rows: ClaimedRow[];
  items: NotificationItem[];
}

async function sendAndRecord(sql: Sql, { channel, rows, items }: Send, baseUrl: string, o: Options, report: DispatchReport): Promise<SendResult> {
  report.messages++;
  // A sender that throws (its secret or settings could not be read) fails like any send: recorded,
  // retried with backoff and counted against the channel, never left leased to be retried forever.
  const result = await sendToChannel(channel, items, baseUrl).catch((error: unknown) =>
    notDelivered('other', error instanceof Error ? error.message : String(error)),
  );
  if (!result.ok)
    logger.warn({ channel: channel.id, type: channel.type, notifications: items.length, error: describeFailure(result) }, 'notification not delivered');
  await record(sql, channel, rows, result, o, report);
  return result;
}

/** A send may start while this much of the lease is left: the send's timeout, and room to record it. */
export const SEND_ROOM_MS = CHANNEL_TIMEOUT_MS + 5_000;

/** Slack and email: everything claimed in one message, a digest when there are several. */
async function sendMessage(
  sql: Sql,
  channel: ClaimedChannel,
  alerts: Map<string, AlertFacts>,
  baseUrl: string,
  o: Options,
  report: DispatchReport,
): Promise<void> {
  const known = channel.rows.filter((row) => row.alert_id && alerts.has(row.alert_id));
  await suppressOrphans(
    sql,
    channel,
    channel.rows.filter((row) => !(row.alert_id && alerts.has(row.alert_id))),
    report,
  );
  if (known.length === 0) return;
  const items = known.map((row) => ({ notificationId: row.id, event: row.event, alert: alerts.get(row.alert_id!)! }));
  await sendAndRecord(sql, { channel, rows: known, items }, baseUrl, o, report);
}

/** A webhook: one POST per notification, one after another, oldest first; then the gate opens for the next run. */
async function sendEach(
  sql: Sql,
  channel: ClaimedChannel,
  alerts: Map<string, AlertFacts>,
  baseUrl: string,
  o: Options,
  report: DispatchReport,
  claimedAt: number,
): Promise<void> {
  try {
    for (const [index, row] of channel.rows.entries()) {
      const alert = row.alert_id ? alerts.get(row.alert_id) : undefined;
      if (!alert) {
        await suppressOrphans(sql, channel, [row], report);
        continue;
      }
      // The lease was taken at the claim, which began after claimedAt: a send that might outlast it waits for the next run.
      const leaseLeft = o.leaseMs - (performance.now() - claimedAt);
      if (index > 0 && leaseLeft < SEND_ROOM_MS) {
        await release(sql, channel, channel.rows.slice(index));
        return;
      }
      const result = await sendAndRecord(sql, { channel, rows: [row], items: [{ notificationId: row.id, event: row.event, alert }] }, baseUrl, o, report);
      if (!result.ok) {
        await release(sql, channel, channel.rows.slice(index + 1));
        return;
      }
    }
  } finally {
    // The gate opens CALM_INTERVAL_MS after the claim (the claim's gate was its time + the lease), or now if the run took longer:
    // at most one run per interval, and a worker's next run (a second after this one ended) finds it open.
    // Only the gate this claim set: if this run outlasted it, another dispatcher's claim owns the channel now.
    await sql`UPDATE notification_channels
      SET next_message_at = GREATEST(now(), ${channel.gate}::timestamptz - make_interval(secs => ${seconds(o.leaseMs)}) + make_interval(secs => ${seconds(o.calmIntervalMs)}))
      WHERE id = ${channel.id} AND next_message_at = ${channel.gate}`;
  }
}

/** One run: suppress, claim, send (channels in parallel; a webhook's notifications one after another), record. Returns what it did. */
export async function dispatchNotifications(sql: Sql, options: DispatchOptions = {}): Promise<DispatchReport> {
  const o = withDefaults(options);
  const report: DispatchReport = { messages: 0, sent: 0, retrying: 0, failed: 0, suppressed: await suppressDisabled(sql) };
  const claimedAt = performance.now();
  const channels = await claim(sql, o);
  if (channels.length === 0) return report;
  const alerts = await loadAlerts(sql, [
    ...new Set(channels.flatMap((channel) => channel.rows.map((row) => row.alert_id).filter((id): id is string => id !== null))),
  ]);
  const baseUrl = o.baseUrl ?? dashboardBaseUrl();
  await Promise.all(
    channels.map((channel) =>
      channel.type === 'webhook' ? sendEach(sql, channel, alerts, baseUrl, o, report, claimedAt) : sendMessage(sql, channel, alerts, baseUrl, o, report),
    ),
  );
  return report;
}
