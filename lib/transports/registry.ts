/**
 * Picks the transport for a destination by its URL's scheme. The one place that lists the
 * transports: adding a destination type is a module here plus its options schema
 * (destination-options.ts), and nothing in the worker.
 */
import { amqpTransport } from './amqp';
import { httpTransport } from './http';
import { natsJetStreamTransport } from './nats-jetstream';
import { redisStreamsTransport } from './redis-streams';
import type { AttemptOutcome, OutgoingDelivery, Transport, TransportDestination } from './transport';
import { startAttempt } from './transport';

const TRANSPORTS: readonly Transport[] = [httpTransport, amqpTransport, redisStreamsTransport, natsJetStreamTransport];

const BY_SCHEME = new Map(TRANSPORTS.flatMap((transport) => transport.schemes.map((scheme) => [scheme, transport] as const)));

export function transportFor(url: string): Transport | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  return (scheme && BY_SCHEME.get(scheme)) || null;
}

/** One attempt through the destination's transport; an unknown scheme is an `other` failure, never a throw. */
export function sendThroughTransport(delivery: OutgoingDelivery, destination: TransportDestination): Promise<AttemptOutcome> {
  const transport = transportFor(destination.url);
  if (!transport) return Promise.resolve(startAttempt()({ errorKind: 'other', errorMessage: 'no transport for this URL scheme' }));
  return transport.send(delivery, destination);
}

/** Closes every transport's connections (worker shutdown). */
export async function closeTransports(): Promise<void> {
  await Promise.all(TRANSPORTS.map((transport) => transport.close().catch(() => undefined)));
}
