/**
 * Destinations: the team's services that Hookyard forwards to. Create (with a generated
 * Standard Webhooks signing secret), list, read, change, pause, resume, disable. Each change is
 * audited and announced to the ingest caches. URLs pass `url-safety.ts` on every save.
 */
import { type DestinationAlertSettings, effectiveDestinationAlertSettings, mergeDestinationAlertSettings } from '@/lib/alerts/alert-settings';
import { resolveAlertsOnReenable } from '@/lib/alerts/resolve-destination-alerts';
import type { Principal } from '@/lib/auth/principal';
import { hasRole } from '@/lib/auth/roles';
import { recordAudit } from '@/lib/audit/record-audit';
import { config } from '@/lib/config/env';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { isUuid } from '@/lib/db/ids';
import { db, type Prisma } from '@/lib/db/prisma';
import type { Tx } from '@/lib/db/transaction';
import { countHeldDeliveries } from '@/lib/deliveries/lifecycle/requeue-deliveries';
import { AppError, conflict, notFound } from '@/lib/http/errors';
import { maskSecret } from '@/lib/secrets/encryption';
import { generateSigningSecret } from '@/lib/secrets/generate-secret';
import { listSecretMetadata, type SecretMetadata, SECRET_METADATA_SELECT, toSecretMetadata } from '@/lib/secrets/secret-metadata';
import { insertSecret } from '@/lib/secrets/store-secret';
import { encryptUrlPassword, fullUrl, MASKED_PASSWORD, maskedUrl, secretIsToken, splitPassword } from './broker-url';
import { parseDestinationOptions } from './destination-options';
import type { CreateDestinationInput, UpdateDestinationInput } from './destinations.schema';
import { assertDestinationUrlAllowed } from './url-safety';

export const DESTINATION_SELECT = {
  id: true,
  name: true,
  url: true,
  urlPassword: true,
  options: true,
  headers: true,
  timeoutMs: true,
  retrySchedule: true,
  maxConcurrency: true,
  rateLimitPerSecond: true,
  orderingKey: true,
  status: true,
  circuitState: true,
  circuitOpenedAt: true,
  circuitRetryAt: true,
  consecutiveFailures: true,
  failingSince: true,
  disableAfterSeconds: true,
  alertSettings: true,
  createdAt: true,
  updatedAt: true,
  pausedAt: true,
  disabledAt: true,
} as const;

type DestinationRow = Prisma.DestinationGetPayload<{ select: typeof DESTINATION_SELECT }>;

export type DestinationView = Omit<DestinationRow, 'headers' | 'alertSettings' | 'urlPassword' | 'options'> & {
  /** A broker URL's password is shown as `***` to everyone; admins reveal it with revealDestinationUrl. */
  url: string;
  /** Per-scheme options (destination-options.ts); {} for HTTP. */
  options: Record<string, unknown>;
  /** Header values are shown to admins only; other roles see masked values (they often hold tokens). */
  headers: Record<string, string>;
  /** The alert rules' settings, defaults filled in (lib/alerts/alert-settings.ts). */
  alertSettings: DestinationAlertSettings;
  /** Hint of the newest active signing secret. */
  signingSecretHint: string | null;
  secrets: SecretMetadata[];
};

export interface ViewOptions {
  /** Show header values (admins); otherwise they are masked. */
  revealHeaders: boolean;
}

export const viewOptionsFor = (principal: Principal): ViewOptions => ({ revealHeaders: hasRole(principal.role, 'ADMIN') });

function headersOf(row: DestinationRow, reveal: boolean): Record<string, string> {
  const headers = (row.headers ?? {}) as Record<string, string>;
  return reveal ? headers : Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, maskSecret(value)]));
}

/** The row without its password ciphertext, the URL masked. */
function publicFields(row: DestinationRow) {
  const { urlPassword, ...rest } = row;
  return { ...rest, url: maskedUrl(row.url, urlPassword !== null), options: (row.options ?? {}) as Record<string, unknown> };
}

function toDestinationView(row: DestinationRow, secrets: SecretMetadata[], options: ViewOptions): DestinationView {
  const signing = secrets.find((secret) => secret.status === 'active' || secret.status === 'expiring');
  return {
    ...publicFields(row),
    headers: headersOf(row, options.revealHeaders),
    alertSettings: effectiveDestinationAlertSettings(row.alertSettings),
    signingSecretHint: signing?.hint ?? null,
    secrets,
  };
}

/** The audit log's copy: configuration and state, header values masked, no secrets. */
function auditCopy(row: DestinationRow) {
  const { createdAt: _created, updatedAt: _updated, ...rest } = publicFields(row);
  return { ...rest, headers: headersOf(row, false) };
}

const blockPrivate = () => config().blockPrivateDestinations;

export async function listDestinations(options: ViewOptions): Promise<DestinationView[]> {
  const rows = await db().destination.findMany({ select: DESTINATION_SELECT, orderBy: { createdAt: 'asc' } });
  const secrets = await db().secret.findMany({
    where: { destinationId: { in: rows.map((row) => row.id) } },
    select: { ...SECRET_METADATA_SELECT, destinationId: true },
    orderBy: { createdAt: 'desc' },
  });
  const now = new Date();
  const byDestination = new Map<string, SecretMetadata[]>();
  for (const { destinationId, ...secret } of secrets) {
    if (!destinationId) continue;
    const list = byDestination.get(destinationId) ?? [];
    list.push(toSecretMetadata(secret, now));
    byDestination.set(destinationId, list);
  }
  return rows.map((row) => toDestinationView(row, byDestination.get(row.id) ?? [], options));
}

/** The destination, or a 404 (also for ids that are not UUIDs). */
export async function getDestinationOrThrow(id: string, options: ViewOptions): Promise<DestinationView> {
  if (!isUuid(id)) throw notFound('Destination');
  const row = await db().destination.findUnique({ where: { id }, select: DESTINATION_SELECT });
  if (!row) throw notFound('Destination');
  return toDestinationView(row, await listSecretMetadata({ destinationId: id }), options);
}

/** Creates the destination and its signing secret; `signingSecret` is returned this once. */
export async function createDestination(
  input: CreateDestinationInput,
  actor: Principal,
  ip?: string | null,
): Promise<DestinationView & { signingSecret: string }> {
  await assertDestinationUrlAllowed(input.url, { blockPrivate: blockPrivate(), allowBrokers: true });
  const options = parseDestinationOptions(input.url, input.options);
  const { url, password } = splitPassword(input.url);
  if (password === MASKED_PASSWORD)
    throw new AppError('invalid_input', 'url: `***` stands for a stored password or token; a new destination needs the real one');
  return db().$transaction(async (tx) => {
    const created = await tx.destination.create({
      data: {
        name: input.name,
        url,
        options: options as Prisma.InputJsonObject,
        headers: input.headers ?? {},
        timeoutMs: input.timeoutMs,
        retrySchedule: input.retrySchedule,
        orderingKey: input.orderingKey ?? null,
        maxConcurrency: input.maxConcurrency,
        rateLimitPerSecond: input.rateLimitPerSecond ?? null,
        alertSettings: mergeDestinationAlertSettings({}, input.alertSettings ?? {}) as Prisma.InputJsonObject,
      },
      select: DESTINATION_SELECT,
    });
    const row = password
      ? await tx.destination.update({ where: { id: created.id }, data: { urlPassword: encryptUrlPassword(created.id, password) }, select: DESTINATION_SELECT })
      : created;
    const secret = await insertSecret(tx, { destinationId: row.id }, generateSigningSecret(), { label: 'Signing secret', actor });
    const { value, ...metadata } = secret;
    await recordAudit(
      actor,
      {
        action: 'destination.create',
        targetType: 'destination',
        targetId: row.id,
        after: { ...auditCopy(row), signingSecret: { id: metadata.id, hint: metadata.hint } },
        ip,
      },
      tx,
    );
    await notifyConfigChanged(tx);
    return { ...toDestinationView(row, [metadata], { revealHeaders: true }), signingSecret: value };
  });
}

async function lockDestination(tx: Tx, id: string): Promise<DestinationRow> {
  if (!isUuid(id)) throw notFound('Destination');
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM destinations WHERE id = ${id}::uuid FOR UPDATE`;
  if (locked.length === 0) throw notFound('Destination');
  return tx.destination.findUniqueOrThrow({ where: { id }, select: DESTINATION_SELECT });
}

export async function updateDestination(id: string, input: UpdateDestinationInput, actor: Principal, ip?: string | null): Promise<DestinationView> {
  if (!isUuid(id)) throw notFound('Destination');
  if (input.url !== undefined) await assertDestinationUrlAllowed(input.url, { blockPrivate: blockPrivate(), allowBrokers: true });
  const row = await db().$transaction(async (tx) => {
    const before = await lockDestination(tx, id);
    const url = input.url !== undefined ? urlChange(id, input.url, before) : undefined;
    const options =
      input.url !== undefined || input.options !== undefined
        ? (parseDestinationOptions(input.url ?? before.url, input.options ?? before.options) as Prisma.InputJsonObject)
        : undefined;
    const after = await tx.destination.update({
      where: { id },
      data: {
        name: input.name,
        url: url?.url,
        urlPassword: url?.urlPassword,
        options,
        headers: input.headers,
        timeoutMs: input.timeoutMs,
        retrySchedule: input.retrySchedule,
        orderingKey: input.orderingKey,
        maxConcurrency: input.maxConcurrency,
        rateLimitPerSecond: input.rateLimitPerSecond,
        alertSettings:
          input.alertSettings !== undefined ? (mergeDestinationAlertSettings(before.alertSettings, input.alertSettings) as Prisma.InputJsonObject) : undefined,
      },
      select: DESTINATION_SELECT,
    });
    await recordAudit(
      actor,
      { action: 'destination.update', targetType: 'destination', targetId: id, before: auditCopy(before), after: auditCopy(after), ip },
      tx,
    );
    await notifyConfigChanged(tx);
    return after;
  });
  return toDestinationView(row, await listSecretMetadata({ destinationId: id }), { revealHeaders: true });
}

/**
 * A new URL: its password (or NATS token) encrypted, or (sent back as `***`) the stored one kept.
 * The mask keeps a secret only in the place it was stored: a NATS password sent back as a token
 * (or the reverse) would change what the broker is sent, so that needs the real value.
 */
function urlChange(id: string, raw: string, before: DestinationRow): { url: string; urlPassword: Uint8Array<ArrayBuffer> | null } {
  const { url, password } = splitPassword(raw);
  if (password === MASKED_PASSWORD) {
    // A NATS destination saved before tokens were split out holds its token in the URL: encrypt it now.
    const legacy = before.urlPassword ? null : splitPassword(before.url);
    if (legacy?.password && legacy.password !== MASKED_PASSWORD && secretIsToken(url) && secretIsToken(legacy.url))
      return { url, urlPassword: encryptUrlPassword(id, legacy.password) };
    if (!before.urlPassword) throw new AppError('invalid_input', 'url: `***` stands for a stored password, and this destination has none; send the real one');
    if (secretIsToken(url) !== secretIsToken(before.url))
      throw new AppError('invalid_input', 'url: `***` stands for the stored password or token in its own place in the URL; send the real value to move it');
    return { url, urlPassword: new Uint8Array(before.urlPassword) };
  }
  return { url, urlPassword: password ? encryptUrlPassword(id, password) : null };
}

/**
 * `POST /api/v1/destinations/{id}/reveal-url` (ADMIN): the URL with its broker password, after
 * the audit entry is written (as a secret's reveal: lib/secrets/manage-secrets.ts).
 */
export async function revealDestinationUrl(id: string, actor: Principal, ip?: string | null): Promise<{ id: string; url: string }> {
  if (!isUuid(id)) throw notFound('Destination');
  const row = await db().destination.findUnique({ where: { id }, select: { id: true, url: true, urlPassword: true } });
  if (!row) throw notFound('Destination');
  const url = fullUrl(row.id, row.url, row.urlPassword);
  await recordAudit(actor, {
    action: 'destination.reveal_url',
    targetType: 'destination',
    targetId: id,
    after: { url: maskedUrl(row.url, row.urlPassword !== null) },
    ip,
  });
  return { id: row.id, url };
}

type StateChange = (before: DestinationRow, now: Date) => { data: Prisma.DestinationUpdateInput; action: string } | null;

async function changeState(
  id: string,
  actor: Principal,
  ip: string | null | undefined,
  change: StateChange,
  afterChange?: (tx: Tx, now: Date) => Promise<Record<string, unknown>>,
) {
  const { row, extra } = await db().$transaction(async (tx) => {
    const before = await lockDestination(tx, id);
    const now = new Date();
    const planned = change(before, now);
    const after = planned ? await tx.destination.update({ where: { id }, data: planned.data, select: DESTINATION_SELECT }) : before;
    const extra = afterChange ? await afterChange(tx, now) : {};
    if (planned || Object.values(extra).some((value) => value !== 0)) {
      await recordAudit(
        actor,
        {
          action: planned?.action ?? 'destination.resume',
          targetType: 'destination',
          targetId: id,
          before: auditCopy(before),
          after: { ...auditCopy(after), ...extra },
          ip,
        },
        tx,
      );
      await notifyConfigChanged(tx);
    }
    return { row: after, extra };
  });
  return { ...toDestinationView(row, await listSecretMetadata({ destinationId: id }), { revealHeaders: true }), ...extra };
}

/** `DELETE /api/v1/destinations/{id}`: no more deliveries are created for it; `resume` re-enables it. */
export function disableDestination(id: string, actor: Principal, ip?: string | null) {
  return changeState(id, actor, ip, (before, now) =>
    before.status === 'disabled' ? null : { action: 'destination.disable', data: { status: 'disabled', disabledAt: now } },
  );
}

/** `POST …/{id}/pause`: deliveries are held (reported `paused`, stored pending) until resume. A disabled destination is a 409. */
export function pauseDestination(id: string, actor: Principal, ip?: string | null) {
  return changeState(id, actor, ip, (before, now) => {
    if (before.status === 'disabled') throw conflict('The destination is disabled; resume it first');
    return before.status === 'paused' ? null : { action: 'destination.pause', data: { status: 'paused', pausedAt: now } };
  });
}

/**
 * `POST …/{id}/resume`: active again, and its held deliveries are due now. Resuming a disabled
 * destination also resets its failure run and circuit, or the worker would disable it again at once,
 * and resolves its `destination_disabled` and `destination_circuit_open` alerts in the same
 * transaction (`resolvedAlerts`).
 */
export function resumeDestination(id: string, actor: Principal, ip?: string | null) {
  let reenabled = false;
  return changeState(
    id,
    actor,
    ip,
    (before) => {
      if (before.status === 'active') return null;
      const data: Prisma.DestinationUpdateInput = { status: 'active', pausedAt: null, disabledAt: null };
      if (before.status === 'disabled') {
        reenabled = true;
        Object.assign(data, { circuitState: 'closed', circuitOpenedAt: null, circuitRetryAt: null, consecutiveFailures: 0, failingSince: null });
      }
      return { action: 'destination.resume', data };
    },
    async (tx, now) => ({
      requeued: await countHeldDeliveries(tx, id, now),
      resolvedAlerts: reenabled ? await resolveAlertsOnReenable(tx, id) : 0,
    }),
  );
}
