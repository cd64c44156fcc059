/**
 * The NATS JetStream transport (`nats://`): one JetStream publish per attempt; success is the
 * stream's PubAck (stream and sequence). `Nats-Msg-Id` is the webhook-id, so a message published
 * again after a lost acknowledgement (a worker killed between publish and ack, then the lease
 * taken over) is dropped by the stream's duplicate window instead of stored twice. Headers: the
 * forwarded original headers, the Standard Webhooks fields, `hookyard-event-type`,
 * `hookyard-source`, `hookyard-event-id`. No stream for the subject ("no responders") is
 * `no_route`; an authorization violation is `auth`. One connection per destination.
 */
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import { assertBrokerHostAllowed } from './broker-address';
import { ConnectionPool } from './connection-pool';
import type { NatsOptions } from '@/lib/destinations/destination-options';
import { eventContextOf, fillTemplate } from './event-context';
import { contentTypeOf, forwardableHeaders, signatureFields } from './message-metadata';
import { classifyError } from './network-errors';
import {
  type AttemptOutcome,
  type OutgoingDelivery,
  safeMessage,
  type SentRequest,
  startAttempt,
  type Transport,
  type TransportDestination,
} from './transport';

const pool = new ConnectionPool<NatsConnection>({
  name: 'nats',
  async open(raw, timeoutMs, onLost) {
    const url = new URL(raw);
    await assertBrokerHostAllowed(url);
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    const nc = await connect({
      servers: `${url.hostname}:${url.port || '4222'}`,
      ...(user && pass ? { user, pass } : user ? { token: user } : {}),
      timeout: timeoutMs,
      reconnect: false,
      name: 'hookyard-worker',
    });
    void nc.closed().then(() => onLost());
    return nc;
  },
  async close(nc) {
    await nc.close().catch(() => undefined);
  },
});

async function send(delivery: OutgoingDelivery, destination: TransportDestination): Promise<AttemptOutcome> {
  const done = startAttempt();
  const now = new Date();
  let sent: SentRequest | null = null;
  try {
    const options = destination.options as NatsOptions;
    const context = await eventContextOf(delivery);
    const subject = fillTemplate(options.subject, context);
    const fields: Record<string, string> = {
      ...forwardableHeaders(delivery),
      'content-type': contentTypeOf(delivery),
      ...signatureFields(delivery, destination, now),
      'hookyard-event-type': context.eventType ?? '',
      'hookyard-source': context.source,
      'hookyard-event-id': delivery.eventId,
      'hookyard-attempt': String(delivery.attempt),
      'Nats-Msg-Id': delivery.deliveryId,
    };
    sent = { url: destination.displayUrl, headers: { ...fields, 'nats-subject': subject }, secretHeaders: [] };
    const key = `${destination.id}|${destination.url}`;
    const ack = await pool.withConnection(key, destination.url, destination.timeoutMs, async (nc) => {
      const h = natsHeaders();
      for (const [name, value] of Object.entries(fields)) if (name !== 'Nats-Msg-Id') h.set(name, value);
      return nc.jetstream().publish(subject, delivery.body, { msgID: delivery.deliveryId, headers: h, timeout: destination.timeoutMs });
    });
    const summary = `acknowledged by JetStream stream "${ack.stream}" as seq ${ack.seq}${ack.duplicate ? ' (a duplicate of an earlier publish: stored once)' : ''}`;
    return done({ body: Buffer.from(summary), request: sent });
  } catch (error) {
    return done({ errorKind: classifyError(error), errorMessage: safeMessage(error), request: sent });
  }
}

export const natsJetStreamTransport: Transport = {
  schemes: ['nats'],
  send,
  close: () => pool.closeAll(),
};
