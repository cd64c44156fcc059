/**
 * The Redis Streams transport (`redis://`, `rediss://`): one `XADD` per attempt, optionally
 * with an approximate `MAXLEN ~` trim; success is the entry id Redis answers with. Entry fields
 * (SPEC): `body` (the raw bytes), `content_type`, `event_type`, `source`, `webhook_id`,
 * `webhook_timestamp`, `webhook_signature`, `headers` (a JSON object of the forwarded original
 * headers). WRONGPASS/NOAUTH are `auth`. One client per destination (connection-pool.ts).
 */
import { createClient } from 'redis';
import { assertBrokerHostAllowed } from './broker-address';
import { ConnectionPool, withTimeout } from './connection-pool';
import type { RedisStreamOptions } from '@/lib/destinations/destination-options';
import { eventContextOf } from './event-context';
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

function openClient(url: string, timeoutMs: number) {
  // No reconnect inside the client and no offline queue: a lost connection fails the sends on
  // it at once, and the pool opens a new one (with its backoff) on the next send.
  return createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
}
type RedisClient = ReturnType<typeof openClient>;

const pool = new ConnectionPool<RedisClient>({
  name: 'redis',
  async open(raw, timeoutMs, onLost) {
    await assertBrokerHostAllowed(new URL(raw));
    const client = openClient(raw, timeoutMs);
    let connected = false;
    client.on('error', () => {
      if (connected) onLost();
    });
    client.on('end', () => onLost());
    await client.connect();
    connected = true;
    return client;
  },
  async close(client) {
    if (client.isOpen) client.destroy();
  },
});

async function send(delivery: OutgoingDelivery, destination: TransportDestination): Promise<AttemptOutcome> {
  const done = startAttempt();
  const now = new Date();
  let sent: SentRequest | null = null;
  try {
    const options = destination.options as RedisStreamOptions;
    const context = await eventContextOf(delivery);
    const signature = signatureFields(delivery, destination, now);
    const fields = {
      content_type: contentTypeOf(delivery),
      event_type: context.eventType ?? '',
      source: context.source,
      webhook_id: signature?.['webhook-id'] ?? delivery.deliveryId,
      webhook_timestamp: signature?.['webhook-timestamp'] ?? String(Math.floor(now.getTime() / 1000)),
      webhook_signature: signature?.['webhook-signature'] ?? '',
      headers: JSON.stringify(forwardableHeaders(delivery)),
    };
    sent = { url: destination.displayUrl, headers: { ...fields, stream: options.stream }, secretHeaders: [] };
    const key = `${destination.id}|${destination.url}`;
    const entryId = await pool.withConnection(key, destination.url, destination.timeoutMs, async (client, drop) => {
      try {
        return await withTimeout(
          client.xAdd(
            options.stream,
            '*',
            { body: delivery.body, ...fields },
            options.maxLen ? { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: options.maxLen } } : undefined,
          ),
          destination.timeoutMs,
          'Redis XADD',
        );
      } catch (error) {
        if (!/WRONGTYPE|ERR /.test(safeMessage(error))) drop();
        throw error;
      }
    });
    return done({ body: Buffer.from(`added to Redis stream "${options.stream}" as entry ${entryId}`), request: sent });
  } catch (error) {
    return done({ errorKind: classifyError(error), errorMessage: safeMessage(error), request: sent });
  }
}

export const redisStreamsTransport: Transport = {
  schemes: ['redis', 'rediss'],
  send,
  close: () => pool.closeAll(),
};
