/**
 * The destination types a URL scheme selects, and each type's `options` (SPEC "Destination
 * types"), validated with zod when a destination is saved. Pure: the API and the pages use it
 * without loading any broker client (those live in the transport modules).
 */
import { z } from 'zod';
import { AppError } from '@/lib/http/errors';

/** `{eventType}` and `{source}` are replaced at send time (lib/transports/event-context.ts). */
const templated = z.string().trim().min(1).max(255);

const amqpOptions = z.strictObject({
  exchange: z.string().max(255).default(''),
  routingKey: templated,
});
const redisOptions = z.strictObject({
  stream: z.string().trim().min(1).max(1024),
  /** Approximate trim (`MAXLEN ~`); absent means the stream grows unbounded. */
  maxLen: z.number().int().min(1).max(1_000_000_000).optional(),
});
const natsOptions = z.strictObject({
  subject: templated.regex(/^[^\s]+$/, 'A NATS subject has no spaces'),
});

export const DESTINATION_TYPES = {
  http: { schemes: ['http', 'https'], options: z.strictObject({}) },
  amqp: { schemes: ['amqp', 'amqps'], options: amqpOptions },
  redis: { schemes: ['redis', 'rediss'], options: redisOptions },
  nats: { schemes: ['nats'], options: natsOptions },
} as const;

export type DestinationType = keyof typeof DESTINATION_TYPES;
export type AmqpOptions = z.infer<typeof amqpOptions>;
export type RedisStreamOptions = z.infer<typeof redisOptions>;
export type NatsOptions = z.infer<typeof natsOptions>;

export const DESTINATION_SCHEMES: readonly string[] = Object.values(DESTINATION_TYPES).flatMap((type) => type.schemes);

/** The type a URL's scheme names, or null for a scheme Hookyard does not deliver to. */
export function destinationTypeOf(url: string): DestinationType | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  if (!scheme) return null;
  for (const [type, { schemes }] of Object.entries(DESTINATION_TYPES)) if ((schemes as readonly string[]).includes(scheme)) return type as DestinationType;
  return null;
}

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
