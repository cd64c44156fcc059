/**
 * Which URL schemes name which destination type (SPEC "Destination types"). Kept apart from the
 * options' zod schemas and the typed app error (destination-options.ts) so that client
 * components, such as the destination form detecting the type as a URL is typed, can use it
 * without pulling server-only modules into the browser bundle. Pure.
 */

export const DESTINATION_TYPE_SCHEMES = {
  http: ['http', 'https'],
  amqp: ['amqp', 'amqps'],
  redis: ['redis', 'rediss'],
  nats: ['nats'],
} as const satisfies Record<string, readonly string[]>;

export type DestinationType = keyof typeof DESTINATION_TYPE_SCHEMES;

export const DESTINATION_SCHEMES: readonly string[] = Object.values(DESTINATION_TYPE_SCHEMES).flat();

/** The type a URL's scheme names, or null for a scheme Hookyard does not deliver to. */
export function destinationTypeOf(url: string): DestinationType | null {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  if (!scheme) return null;
  for (const [type, schemes] of Object.entries(DESTINATION_TYPE_SCHEMES)) if ((schemes as readonly string[]).includes(scheme)) return type as DestinationType;
  return null;
}

/**
 * Schemes whose URL, naming a user and no password, names a token: NATS (`nats://TOKEN@host:4222`,
 * which lib/transports/nats-jetstream.ts sends as the connection's token). Such a user is the URL's
 * secret and is treated as a password is (lib/destinations/broker-url.ts).
 */
const TOKEN_AS_USER_SCHEMES: readonly string[] = DESTINATION_TYPE_SCHEMES.nats;

/** Whether this URL's scheme reads a user-only URL's user as a token. */
export function takesTokenAsUser(url: URL): boolean {
  return TOKEN_AS_USER_SCHEMES.includes(url.protocol.replace(/:$/, '').toLowerCase());
}

/** Whether the URL's user is a token (a NATS URL with a user and no password). */
export function userIsToken(url: URL): boolean {
  return takesTokenAsUser(url) && url.username !== '' && url.password === '';
}
