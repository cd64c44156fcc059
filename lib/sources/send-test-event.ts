/**
 * "Send test event": a sample request, signed exactly as the provider would sign it (the preset's
 * `sampleRequest`) with the source's newest active secret, POSTed over HTTP to Hookyard's own
 * ingest URL. It passes through the real ingest path (verification, allowlist, rate limit, dedup,
 * storage, fan-out), so a 202 here means the provider's real requests will be accepted too.
 * Audited as `source.test_event`; the secret never leaves this module.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { config } from '@/lib/config/env';
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { AppError, conflict, notFound } from '@/lib/http/errors';
import { getProvider } from '@/lib/providers';
import { conventionalEventType } from '@/lib/providers/event-identity';
import type { ProviderPreset } from '@/lib/providers/types';
import { generateSourceSecret } from '@/lib/secrets/generate-secret';
import { loadVerificationSecrets } from '@/lib/secrets/verification-secrets';
import { ingestUrlFor } from './manage-sources';

const SEND_TIMEOUT_MS = 10_000;

export type TestEventAvailability = { available: true } | { available: false; reason: string };

/** The URL the test request goes to: `HOOKYARD_PUBLIC_URL`, else this server on loopback. */
export function selfBaseUrl(): string {
  const { publicUrl, port } = config();
  return publicUrl ?? `http://127.0.0.1:${port}`;
}

function parsedSettings(preset: ProviderPreset<unknown>, stored: unknown): unknown {
  const parsed = preset.settingsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : preset.settingsSchema.parse({});
}

function unsignableReason(label: string): string {
  return `${label} signs its webhooks with its own private key; Hookyard holds only the public key, so it cannot sign a test request. Send a test from ${label}'s dashboard instead.`;
}

/**
 * Whether the button can work, and if not why, without decrypting anything: presets that cannot
 * sign (Discord, SendGrid) are found by asking for a sample with a throwaway secret.
 */
export function testEventAvailability(source: {
  provider: string;
  status: string;
  settings: unknown;
  secrets: readonly { status: string }[];
}): TestEventAvailability {
  let preset: ProviderPreset<unknown>;
  try {
    preset = getProvider(source.provider);
  } catch {
    return { available: false, reason: `Unknown provider "${source.provider}".` };
  }
  let sample: unknown;
  try {
    sample = preset.sampleRequest(
      generateSourceSecret(source.provider),
      'http://127.0.0.1/api/ingest/probe',
      new Date(),
      parsedSettings(preset, source.settings),
    );
  } catch {
    sample = null;
  }
  if (sample === null) return { available: false, reason: unsignableReason(preset.label) };
  if (source.status !== 'active') return { available: false, reason: 'The source is disabled, so its ingest URL answers 404. Enable it first.' };
  if (preset.needsSecret && !source.secrets.some((secret) => secret.status === 'active' || secret.status === 'expiring')) {
    return { available: false, reason: 'The test event is signed with the newest active secret, and this source has none. Add a secret first.' };
  }
  return { available: true };
}

export interface TestEventResult {
  /** The ingest route's HTTP status, or null when it could not be reached. */
  status: number | null;
  /** The stored event's id (202, or 200 for a duplicate). */
  eventId: string | null;
  duplicate: boolean;
  /** One sentence for the person who pressed the button. */
  message: string;
  /** The event type of the sample, e.g. "payment_intent.succeeded". */
  eventType: string | null;
  url: string;
}

function explain(status: number, duplicate: boolean): string {
  if (status === 202) return 'Accepted: the event is stored and forwarded to every matching route.';
  if (status === 200 && duplicate) return 'Already received: the ingest path treated it as a duplicate.';
  if (status >= 200 && status < 300) return 'Answered by the ingest route (a handshake or a no-op).';
  switch (status) {
    case 401:
      return 'Refused: the signature did not verify. The reason is in the recent requests below.';
    case 403:
      return "Refused by the source's IP allowlist: this server's own address is not on it.";
    case 404:
      return 'The ingest route does not know this source (disabled, or the slug just changed).';
    case 413:
      return "The sample is larger than the source's size limit.";
    case 429:
      return "Refused by the source's rate limit; try again in a moment.";
    case 503:
      return 'The database could not store the event; try again shortly.';
    default:
      return `The ingest route answered HTTP ${status}.`;
  }
}

function sampleEventType(body: string): string | null {
  try {
    return conventionalEventType(JSON.parse(body));
  } catch {
    return null;
  }
}

export async function sendTestEvent(
  sourceId: string,
  actor: Principal,
  ip?: string | null,
  options: { baseUrl?: string; now?: Date } = {},
): Promise<TestEventResult> {
  if (!isUuid(sourceId)) throw notFound('Source');
  const source = await db().source.findUnique({
    where: { id: sourceId },
    select: { id: true, slug: true, provider: true, status: true, verificationSettings: true },
  });
  if (!source) throw notFound('Source');
  if (source.status !== 'active') throw conflict('The source is disabled, so its ingest URL answers 404; enable it first');
  const preset = getProvider(source.provider);
  const now = options.now ?? new Date();

  let secret: { id: string; value: string } | null = null;
  if (preset.needsSecret) {
    const { active } = await loadVerificationSecrets(source.id, now);
    secret = active[0] ?? null;
    if (!secret) throw conflict('This source has no active secret to sign the test event with; add one first');
  }

  const url = ingestUrlFor(options.baseUrl ?? selfBaseUrl(), source.slug);
  const sample = preset.sampleRequest(secret?.value ?? '', url, now, parsedSettings(preset, source.verificationSettings));
  if (!sample) {
    const reason = secret?.value.startsWith('whpk_')
      ? "The newest secret is a Standard Webhooks public key (whpk_…); only the sender's private key can sign, so Hookyard cannot send a test."
      : unsignableReason(preset.label);
    throw new AppError('conflict', reason);
  }

  let result: TestEventResult;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: sample.headers,
      body: sample.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    const text = await response.text();
    let answer: { id?: unknown; duplicate?: unknown } = {};
    try {
      answer = JSON.parse(text) as typeof answer;
    } catch {
      // A handshake or an error page: no event id.
    }
    const eventId = typeof answer.id === 'string' && isUuid(answer.id) ? answer.id : null;
    const duplicate = answer.duplicate === true;
    result = { status: response.status, eventId, duplicate, message: explain(response.status, duplicate), eventType: sampleEventType(sample.body), url };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { name?: string }).name ?? 'error';
    result = {
      status: null,
      eventId: null,
      duplicate: false,
      message: `Could not reach the ingest route at ${url} (${cause}). If Hookyard runs behind a proxy, check HOOKYARD_PUBLIC_URL.`,
      eventType: sampleEventType(sample.body),
      url,
    };
  }

  await recordAudit(actor, {
    action: 'source.test_event',
    targetType: 'source',
    targetId: source.id,
    after: { status: result.status, eventId: result.eventId, duplicate: result.duplicate, secretId: secret?.id ?? null, eventType: result.eventType },
    ip,
  });
  return result;
}
