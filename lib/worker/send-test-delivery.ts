/**
 * "Send test event" on a destination's page: one signed request to the destination, sent now by
 * the same code as every delivery (sendDelivery: the URL safety check, the destination's headers,
 * the Standard Webhooks signature with its active secrets, its timeout), with a small JSON body of
 * type `hookyard.test`. Nothing is stored as an event or a delivery (lib/deliveries stays the
 * only writer of deliveries, and a test must not show up in the failed queue or the charts); the
 * outcome is returned for the page and audited as `destination.test_event`.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { isUuid, newId } from '@/lib/db/ids';
import { notFound } from '@/lib/http/errors';
import { loadDestination } from './destination-config';
import { sendDelivery } from './send-delivery';

/** What the page shows of the receiver's answer. */
const BODY_PREVIEW = 2 * 1024;

export interface TestDeliveryResult {
  ok: boolean;
  status: number | null;
  durationMs: number;
  error: string | null;
  /** The start of the receiver's answer, as text. */
  responseBody: string | null;
  webhookId: string;
  signed: boolean;
}

export async function sendTestDelivery(destinationId: string, actor: Principal, ip?: string | null): Promise<TestDeliveryResult> {
  if (!isUuid(destinationId)) throw notFound('Destination');
  const destination = await loadDestination(destinationId);
  if (!destination) throw notFound('Destination');
  const id = newId();
  const now = new Date();
  const body = Buffer.from(
    JSON.stringify({ type: 'hookyard.test', id, sentAt: now.toISOString(), message: 'A test delivery from Hookyard. It is safe to ignore.' }),
  );
  const outcome = await sendDelivery(
    {
      deliveryId: id,
      eventId: 'test',
      attempt: 1,
      headers: { 'content-type': 'application/json', 'x-hookyard-test': 'true' },
      body,
      // No stored event to read them from: a broker's routing key and metadata name these.
      eventType: 'hookyard.test',
      source: 'hookyard-test',
    },
    destination,
  );
  const result: TestDeliveryResult = {
    ok: outcome.errorKind === null,
    status: outcome.status,
    durationMs: outcome.durationMs,
    error: outcome.errorKind ? `${outcome.errorKind}: ${outcome.errorMessage ?? ''}` : null,
    responseBody: outcome.body ? outcome.body.subarray(0, BODY_PREVIEW).toString('utf8') : null,
    webhookId: id,
    signed: destination.signingSecrets.length > 0,
  };
  await recordAudit(actor, {
    action: 'destination.test_event',
    targetType: 'destination',
    targetId: destinationId,
    after: { ok: result.ok, status: result.status, error: result.error, webhookId: id },
    ip,
  });
  return result;
}
