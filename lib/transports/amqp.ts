/**
 * The RabbitMQ transport (`amqp://`, `amqps://`): one persistent message per attempt on a
 * confirm channel, published `mandatory`, so that success means RabbitMQ confirmed it and routed
 * it to at least one queue. The message: the raw body; `message_id` = webhook-id,
 * `content_type`, `timestamp` (the attempt's, seconds); headers = the forwarded original headers,
 * the Standard Webhooks fields, `hookyard-event-type`, `hookyard-source`, `hookyard-event-id`.
 * A returned (unroutable) message is `no_route`; a 403 is `auth`. One connection and channel per
 * destination (connection-pool.ts).
 */
import { type ChannelModel, type ConfirmChannel, connect, type Message } from 'amqplib';
import { assertBrokerHostAllowed } from './broker-address';
import { ConnectionPool, withTimeout } from './connection-pool';
import type { AmqpOptions } from '@/lib/destinations/destination-options';
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

interface AmqpConnection {
  model: ChannelModel;
  channel: ConfirmChannel;
  /** message ids RabbitMQ returned as unroutable; the return always arrives before the confirm. */
  returned: Set<string>;
  /** Why the channel closed, when the server closed it (e.g. 404 no exchange): the publish's real cause. */
  closedBecause: Error | null;
}

const pool = new ConnectionPool<AmqpConnection>({
  name: 'amqp',
  async open(raw, timeoutMs, onLost) {
    const url = new URL(raw);
    await assertBrokerHostAllowed(url);
    const model = await connect(raw, { timeout: timeoutMs, clientProperties: { connection_name: 'hookyard-worker' } });
    const connection: AmqpConnection = { model, channel: undefined as unknown as ConfirmChannel, returned: new Set(), closedBecause: null };
    model.on('error', () => onLost());
    model.on('close', () => onLost());
    try {
      connection.channel = await model.createConfirmChannel();
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
    connection.channel.on('return', (message: Message) => {
      const id = message.properties.messageId as string | undefined;
      if (id) connection.returned.add(id);
    });
    connection.channel.on('error', (error: Error) => {
      connection.closedBecause = error;
      onLost();
    });
    connection.channel.on('close', () => onLost());
    return connection;
  },
  async close(connection) {
    await connection.model.close().catch(() => undefined);
  },
});

async function send(delivery: OutgoingDelivery, destination: TransportDestination): Promise<AttemptOutcome> {
  const done = startAttempt();
  const now = new Date();
  let sent: SentRequest | null = null;
  try {
    const options = destination.options as AmqpOptions;
    const context = await eventContextOf(delivery);
    const exchange = options.exchange ?? '';
    const routingKey = fillTemplate(options.routingKey, context);
    const signature = signatureFields(delivery, destination, now);
    const headers: Record<string, string> = {
      ...forwardableHeaders(delivery),
      ...signature,
      'hookyard-event-type': context.eventType ?? '',
      'hookyard-source': context.source,
      'hookyard-event-id': delivery.eventId,
      'hookyard-attempt': String(delivery.attempt),
    };
    const contentType = contentTypeOf(delivery);
    sent = {
      url: destination.displayUrl,
      headers: {
        ...headers,
        'amqp-exchange': exchange,
        'amqp-routing-key': routingKey,
        'amqp-message-id': delivery.deliveryId,
        'amqp-content-type': contentType,
      },
      secretHeaders: [],
    };
    const key = `${destination.id}|${destination.url}`;
    const messageId = delivery.deliveryId;
    await pool.withConnection(key, destination.url, destination.timeoutMs, async (connection, drop) => {
      connection.returned.delete(messageId);
      const confirmed = new Promise<void>((resolve, reject) => {
        connection.channel.publish(
          exchange,
          routingKey,
          delivery.body,
          {
            persistent: true,
            mandatory: true,
            messageId,
            contentType,
            timestamp: Math.floor(now.getTime() / 1000),
            headers,
          },
          (error: unknown) => (error ? reject(connection.closedBecause ?? error) : resolve()),
        );
      });
      try {
        await withTimeout(confirmed, destination.timeoutMs, 'RabbitMQ publisher confirm');
      } catch (error) {
        // A confirm that never came leaves the channel's state unknown: start afresh next time.
        drop();
        throw error;
      }
      if (connection.returned.delete(messageId)) {
        throw Object.assign(
          new Error(`RabbitMQ returned the message as unroutable: no queue is bound to exchange "${exchange}" with routing key "${routingKey}"`),
          {
            code: 'NO_ROUTE',
          },
        );
      }
    });
    return done({ body: Buffer.from(`confirmed by RabbitMQ (exchange "${exchange}", routing key "${routingKey}")`), request: sent });
  } catch (error) {
    return done({ errorKind: classifyError(error), errorMessage: safeMessage(error), request: sent });
  }
}

export const amqpTransport: Transport = {
  schemes: ['amqp', 'amqps'],
  send,
  close: () => pool.closeAll(),
};
