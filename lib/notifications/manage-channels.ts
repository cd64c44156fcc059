/**
 * Notification channels: where alerts are sent (Slack, email, a signed webhook). Admin only,
 * every change audited in its transaction. A channel's URL is a credential (a Slack incoming-webhook
 * URL lets anyone post to the channel), so it passes the destination URL rules
 * (lib/destinations/url-safety.ts) on every save, is stored AES-256-GCM encrypted under the
 * master key with the channel's id as AAD (lib/secrets/encryption.ts), and only its masked hint
 * ever leaves the database in an answer or the audit log. A webhook channel gets its own
 * Standard Webhooks signing secret in `secrets`, returned once on creation, like a destination's.
 */
import type { Principal } from '@/lib/auth/principal';
import type { AlertKind } from '@/lib/alerts/alerts.schema';
import { recordAudit } from '@/lib/audit/record-audit';
import { config } from '@/lib/config/env';
import { notificationSettings } from '@/lib/config/settings';
import { assertDestinationUrlAllowed } from '@/lib/destinations/url-safety';
import { isUuid, newId } from '@/lib/db/ids';
import { db, type Prisma } from '@/lib/db/prisma';
import type { Tx } from '@/lib/db/transaction';
import { AppError, notFound } from '@/lib/http/errors';
import { encryptSecret } from '@/lib/secrets/encryption';
import { generateSigningSecret } from '@/lib/secrets/generate-secret';
import { insertSecret } from '@/lib/secrets/store-secret';
import type { ChannelType, CreateChannelInput, UpdateChannelInput } from './channels.schema';

export const CHANNEL_SELECT = {
  id: true,
  name: true,
  type: true,
  urlHint: true,
  to: true,
  kinds: true,
  enabled: true,
  consecutiveFailures: true,
  failingSince: true,
  lastError: true,
  lastSentAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

type ChannelRow = Prisma.NotificationChannelGetPayload<{ select: typeof CHANNEL_SELECT }>;

export interface ChannelHealth {
  /** `ok`: the last message went out; `failing`: the last one failed; `untested`: nothing sent yet. */
  state: 'ok' | 'failing' | 'untested';
  consecutiveFailures: number;
  failingSince: Date | null;
  lastError: string | null;
  lastSentAt: Date | null;
}

/** What the API and the settings page show of a channel: never its URL, only the hint. */
export interface ChannelView {
  id: string;
  name: string;
  type: ChannelType;
  /** Slack and webhook channels: the URL's scheme and host and its last characters. */
  urlHint: string | null;
  /** Email channels: the recipients. */
  to: string[];
  /** The alert kinds sent to this channel; null: every kind. */
  kinds: AlertKind[] | null;
  enabled: boolean;
  health: ChannelHealth;
  /** Webhook channels: the hint of the signing secret. */
  signingSecretHint: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * `https://hooks.slack.com/…1a2B`: enough to tell two channels apart, not enough to post. The
 * path of a Slack URL is its credential, so only its last four characters are kept.
 */
export function maskChannelUrl(raw: string): string {
  const url = new URL(raw);
  const rest = `${url.pathname}${url.search}`.replace(/^\/$/, '');
  const tail = rest.length > 12 ? rest.slice(-4) : '';
  return `${url.protocol}//${url.host}${rest ? `/…${tail}` : ''}`;
}

function toChannelView(row: ChannelRow, signingSecretHint: string | null): ChannelView {
  const kinds = row.kinds && row.kinds.length > 0 ? (row.kinds as AlertKind[]) : null;
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    urlHint: row.urlHint,
    to: row.to,
    kinds,
    enabled: row.enabled,
    health: {
      state: row.consecutiveFailures > 0 ? 'failing' : row.lastSentAt ? 'ok' : 'untested',
      consecutiveFailures: row.consecutiveFailures,
      failingSince: row.failingSince,
      lastError: row.lastError,
      lastSentAt: row.lastSentAt,
    },
    signingSecretHint,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** The audit log's copy: configuration, the URL as its hint, never a secret. */
function auditCopy(view: ChannelView) {
  return { name: view.name, type: view.type, urlHint: view.urlHint, to: view.to, kinds: view.kinds, enabled: view.enabled };
}

async function signingHints(channelIds: string[], client: Tx = db()): Promise<Map<string, string>> {
  if (channelIds.length === 0) return new Map();
  const now = new Date();
  const rows = await client.secret.findMany({
    where: { channelId: { in: channelIds }, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { channelId: true, hint: true },
    orderBy: { createdAt: 'desc' },
  });
  const hints = new Map<string, string>();
  for (const row of rows) if (row.channelId && !hints.has(row.channelId)) hints.set(row.channelId, row.hint);
  return hints;
}

export async function listChannels(): Promise<ChannelView[]> {
  const rows = await db().notificationChannel.findMany({ select: CHANNEL_SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const hints = await signingHints(rows.filter((row) => row.type === 'webhook').map((row) => row.id));
  return rows.map((row) => toChannelView(row, hints.get(row.id) ?? null));
}

async function viewOf(id: string, client: Tx = db()): Promise<ChannelView | null> {
  const row = await client.notificationChannel.findUnique({ where: { id }, select: CHANNEL_SELECT });
  if (!row) return null;
  return toChannelView(row, row.type === 'webhook' ? ((await signingHints([id], client)).get(id) ?? null) : null);
}

/** The channel, or a 404 (also for ids that are not UUIDs). */
export async function getChannelOrThrow(id: string): Promise<ChannelView> {
  const view = isUuid(id) ? await viewOf(id) : null;
  if (!view) throw notFound('Notification channel');
  return view;
}

/** Whether email channels can send from this process (the settings page says so next to the form). */
export function isEmailConfigured(): boolean {
  const { smtpUrl, emailFrom } = notificationSettings();
  return Boolean(smtpUrl && emailFrom);
}

/** Email channels send through HOOKYARD_SMTP_URL from HOOKYARD_EMAIL_FROM: without them, say so rather than accept a channel that can never send. */
export function assertEmailConfigured(): void {
  const { smtpUrl, emailFrom } = notificationSettings();
  if (!smtpUrl || !emailFrom) {
    throw new AppError(
      'conflict',
      'Email channels need HOOKYARD_SMTP_URL (smtp://user:pass@host:port) and HOOKYARD_EMAIL_FROM; set both for the dashboard and the worker, and restart them',
    );
  }
}

async function checkedUrl(url: string): Promise<{ ciphertextFor: (id: string) => Uint8Array<ArrayBuffer>; hint: string }> {
  await assertDestinationUrlAllowed(url, { blockPrivate: config().blockPrivateDestinations });
  return { ciphertextFor: (id) => encryptSecret(id, url), hint: maskChannelUrl(url) };
}

/** `kinds` is a nullable array column (NULL: every kind), which Prisma's list fields cannot set to NULL: written here in SQL. */
async function writeKinds(tx: Tx, id: string, kinds: AlertKind[] | null): Promise<void> {
  await tx.$executeRaw`UPDATE notification_channels SET kinds = ${kinds}::"AlertKind"[] WHERE id = ${id}::uuid`;
}

/** Creates the channel; a webhook channel's `signingSecret` is returned in this answer only. */
export async function createChannel(input: CreateChannelInput, actor: Principal, ip?: string | null): Promise<ChannelView & { signingSecret?: string }> {
  if (input.type === 'email') assertEmailConfigured();
  const url = input.url !== undefined ? await checkedUrl(input.url) : null;
  const id = newId();
  return db().$transaction(async (tx) => {
    await tx.notificationChannel.create({
      data: {
        id,
        name: input.name,
        type: input.type,
        urlCiphertext: url ? url.ciphertextFor(id) : null,
        urlHint: url?.hint ?? null,
        to: input.type === 'email' ? (input.to ?? []) : [],
        enabled: input.enabled ?? true,
        createdById: actor.kind === 'user' ? actor.id : null,
      },
      select: { id: true },
    });
    await writeKinds(tx, id, input.kinds ?? null);
    const secret = input.type === 'webhook' ? await insertSecret(tx, { channelId: id }, generateSigningSecret(), { label: 'signing', actor }) : null;
    const view = (await viewOf(id, tx))!;
    await recordAudit(actor, { action: 'notification_channel.create', targetType: 'notification_channel', targetId: id, after: auditCopy(view), ip }, tx);
    return secret ? { ...view, signingSecret: secret.value } : view;
  });
}

export async function updateChannel(id: string, input: UpdateChannelInput, actor: Principal, ip?: string | null): Promise<ChannelView> {
  const current = await getChannelOrThrow(id);
  if (current.type === 'email' && input.url !== undefined)
    throw new AppError('invalid_input', 'url: an email channel has no URL', [{ path: 'url', message: 'not for email channels' }]);
  if (current.type !== 'email' && input.to !== undefined) {
    throw new AppError('invalid_input', `to: a ${current.type} channel has no recipients`, [{ path: 'to', message: 'for email channels only' }]);
  }
  const url = input.url !== undefined ? await checkedUrl(input.url) : null;
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM notification_channels WHERE id = ${id}::uuid FOR UPDATE`;
    const before = await viewOf(id, tx);
    if (!before) throw notFound('Notification channel');
    await tx.notificationChannel.update({
      where: { id },
      data: {
        name: input.name,
        to: input.to,
        enabled: input.enabled,
        ...(url ? { urlCiphertext: url.ciphertextFor(id), urlHint: url.hint } : {}),
        // A new URL or new recipients start a new health record: the old failures were someone else's.
        ...(url || input.to ? { consecutiveFailures: 0, failingSince: null, lastError: null } : {}),
      },
      select: { id: true },
    });
    if (input.kinds !== undefined) await writeKinds(tx, id, input.kinds);
    const after = (await viewOf(id, tx))!;
    await recordAudit(
      actor,
      { action: 'notification_channel.update', targetType: 'notification_channel', targetId: id, before: auditCopy(before), after: auditCopy(after), ip },
      tx,
    );
    return after;
  });
}

/**
 * Deletes the channel, with its signing secret, its queued notifications and its history, and
 * any `notification_failing` alert about it (foreign keys cascade). To keep the history, disable
 * the channel instead.
 */
export async function deleteChannel(id: string, actor: Principal, ip?: string | null): Promise<{ id: string; deleted: true }> {
  if (!isUuid(id)) throw notFound('Notification channel');
  return db().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM notification_channels WHERE id = ${id}::uuid FOR UPDATE`;
    const before = await viewOf(id, tx);
    if (!before) throw notFound('Notification channel');
    await tx.notificationChannel.delete({ where: { id } });
    await recordAudit(actor, { action: 'notification_channel.delete', targetType: 'notification_channel', targetId: id, before: auditCopy(before), ip }, tx);
    return { id, deleted: true as const };
  });
}
