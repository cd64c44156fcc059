/**
 * The worker's one call to send an attempt: through the destination's transport, chosen by its
 * URL scheme (lib/transports/registry.ts), and the attempt's span when tracing is on
 * (lib/tracing). Claims, retries and the circuit breaker never look inside a transport.
 */
import { recordAttemptSpan, tracingEnabled } from '@/lib/tracing/hookyard-spans';
import { attemptTrace } from '@/lib/tracing/trace-context';
import { closeTransports, sendThroughTransport } from '@/lib/transports/registry';
import type { AttemptOutcome, OutgoingDelivery } from '@/lib/transports/transport';
import type { DestinationConfig } from './destination-config';

export type { AttemptOutcome, ErrorKind, OutgoingDelivery, SendErrorKind, SentRequest } from '@/lib/transports/transport';
export { classifyError } from '@/lib/transports/network-errors';
export { forwardedHeaders, RESPONSE_BODY_LIMIT } from '@/lib/transports/http';

/** One attempt, and its span when tracing is on (lib/tracing). */
export async function sendDelivery(delivery: OutgoingDelivery, destination: DestinationConfig): Promise<AttemptOutcome> {
  const outcome = await sendThroughTransport(delivery, destination);
  if (tracingEnabled()) {
    let host: string | null = null;
    try {
      host = new URL(destination.url).hostname;
    } catch {
      // An unparsable URL has no host to name.
    }
    recordAttemptSpan(attemptTrace(delivery), { ...delivery, destination: destination.name, host }, outcome);
  }
  return outcome;
}

/** Closes the transports' connections (HTTP's agent, the brokers' connections): worker shutdown. */
export const closeDispatcher = closeTransports;
