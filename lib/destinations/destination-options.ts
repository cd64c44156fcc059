/**
 * The destination types a URL scheme selects, and each type's `options` (SPEC "Destination
 * types"), validated with zod when a destination is saved. Pure: the API and the pages use it
 * without loading any broker client (those live in the transport modules).
 */
import { z } from 'zod';
import { AppError } from '@/lib/http/errors';
import { DESTINATION_SCHEMES, DESTINATION_TYPE_SCHEMES, type DestinationType, destinationTypeOf } from './destination-schemes';

/** `{eventType}` and `{source}` are replaced at send time (lib/transports/event-context.ts). */
/** "Give a routing key" whether the field is missing or empty, instead of zod's type wording. */
const required = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? `Give a ${what}` : `The ${what} is text`) });
const templated = (what: string) => required(what).trim().min(1, `Give a ${what}`).max(255);

const amqpOptions = z.strictObject({
  exchange: z.string().max(255).default(''),
  routingKey: templated('routing key'),
});
const redisOptions = z.strictObject({
  stream: required('stream name').trim().min(1, 'Give a stream name').max(1024),
  /** Approximate trim (`MAXLEN ~`); absent means the stream grows unbounded. */
  maxLen: z.number().int().min(1).max(1_000_000_000).optional(),
});
const natsOptions = z.strictObject({
  subject: templated('subject').regex(/^[^\s]+$/, 'A NATS subject has no spaces'),
});

export const DESTINATION_TYPES = {
  http: { schemes: DESTINATION_TYPE_SCHEMES.http, options: z.strictObject({}) },
  amqp: { schemes: DESTINATION_TYPE_SCHEMES.amqp, options: amqpOptions },
  redis: { schemes: DESTINATION_TYPE_SCHEMES.redis, options: redisOptions },
  nats: { schemes: DESTINATION_TYPE_SCHEMES.nats, options: natsOptions },
} as const;

export type { DestinationType };
export type AmqpOptions = z.infer<typeof amqpOptions>;
export type RedisStreamOptions = z.infer<typeof redisOptions>;
export type NatsOptions = z.infer<typeof natsOptions>;

export { DESTINATION_SCHEMES, destinationTypeOf };

export const isBrokerUrl = (url: string): boolean => {
  const type = destinationTypeOf(url);
  return type !== null && type !== 'http';
};

/** Raw shape accepted by the API before the URL's scheme is known. */
export const destinationOptionsInputSchema = z.record(z.string(), z.unknown());

/** Validates `options` for the URL's type; a 422 naming each bad field (`options.routingKey`). */
export function parseDestinationOptions(url: string, options: unknown): Record<string, unknown> {
  const type = destinationTypeOf(url) ?? 'http';
  const result = DESTINATION_TYPES[type].options.safeParse(options ?? {});
  if (result.success) return result.data as Record<string, unknown>;
  const details = result.error.issues.map((issue) => ({
    path: ['options', ...issue.path.map(String)].join('.'),
    message: issue.code === 'unrecognized_keys' ? `${issue.message} (not an option of ${type} destinations)` : issue.message,
  }));
  const first = details[0];
  throw new AppError('invalid_input', `${first?.path ?? 'options'}: ${first?.message ?? 'invalid'}`, details);
}
