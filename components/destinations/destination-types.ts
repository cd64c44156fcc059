/**
 * How each destination type reads in the dashboard: its name ("RabbitMQ"), an example URL, the
 * options fields the form shows with their help, the one-line summary of its options on the
 * destination page, and how a broker's confirmation reads in an attempt timeline. The types
 * themselves and the options' rules live in lib/destinations/destination-options.ts; this module
 * only words them, so the form, the pages and the event detail say the same thing. Pure.
 */
import { type DestinationType, destinationTypeOf, userIsToken } from '@/lib/destinations/destination-schemes';

export type { DestinationType };

export interface OptionField {
  /** The key in `options` (and the field path `options.<key>` of a 422). */
  key: string;
  label: string;
  hint: string;
  placeholder: string;
  required: boolean;
  kind: 'text' | 'number';
}

export interface DestinationTypeInfo {
  label: string;
  /** What the URL field says is expected. */
  schemes: string;
  exampleUrl: string;
  /** How a message goes out, for the form's hint. */
  deliveredAs: string;
  /** The verb of a confirmed attempt: "Confirmed by RabbitMQ". */
  confirmed: string;
  options: readonly OptionField[];
}

const PLACEHOLDERS = '{eventType} and {source} are replaced with the event’s type and the source’s slug.';

export const DESTINATION_TYPE_INFO: Record<DestinationType, DestinationTypeInfo> = {
  http: {
    label: 'HTTP',
    schemes: 'http:// or https://',
    exampleUrl: 'https://agent.internal/hooks/stripe',
    deliveredAs: 'An HTTP POST of the original body; success is a 2xx within the timeout.',
    confirmed: 'Accepted',
    options: [],
  },
  amqp: {
    label: 'RabbitMQ',
    schemes: 'amqp:// or amqps://',
    exampleUrl: 'amqp://user:password@host:5672/vhost',
    deliveredAs: 'One persistent message, published with publisher confirms; success is the broker’s confirm.',
    confirmed: 'Confirmed by RabbitMQ',
    options: [
      {
        key: 'exchange',
        label: 'Exchange',
        hint: 'Empty means the default exchange, which routes straight to the queue named by the routing key.',
        placeholder: '(default exchange)',
        required: false,
        kind: 'text',
      },
      { key: 'routingKey', label: 'Routing key', hint: PLACEHOLDERS, placeholder: 'hookyard.{source}.{eventType}', required: true, kind: 'text' },
    ],
  },
  redis: {
    label: 'Redis Streams',
    schemes: 'redis:// or rediss://',
    exampleUrl: 'redis://user:password@host:6379/0',
    deliveredAs: 'One stream entry (XADD) with the body and the Standard Webhooks fields; success is the entry id Redis answers.',
    confirmed: 'Added to Redis',
    options: [
      { key: 'stream', label: 'Stream', hint: 'The stream key the entries are added to.', placeholder: 'hookyard:events', required: true, kind: 'text' },
      {
        key: 'maxLen',
        label: 'Max length',
        hint: 'Optional: trims the stream to about this many entries (MAXLEN ~). Empty means it grows unbounded.',
        placeholder: 'Unbounded',
        required: false,
        kind: 'number',
      },
    ],
  },
  nats: {
    label: 'NATS JetStream',
    schemes: 'nats://',
    exampleUrl: 'nats://user:password@host:4222',
    deliveredAs: 'One JetStream message (Nats-Msg-Id is the webhook-id, so the stream drops duplicates); success is the stream’s acknowledgement.',
    confirmed: 'Acknowledged by JetStream',
    options: [
      {
        key: 'subject',
        label: 'Subject',
        hint: `A subject a JetStream stream captures. ${PLACEHOLDERS}`,
        placeholder: 'hookyard.{source}.{eventType}',
        required: true,
        kind: 'text',
      },
    ],
  },
};

export const DESTINATION_TYPE_ORDER: readonly DestinationType[] = ['http', 'amqp', 'redis', 'nats'];

/** The type of a destination's URL; HTTP for anything else (the API refuses other schemes). */
export const typeOfUrl = (url: string): DestinationType => destinationTypeOf(url) ?? 'http';

export const isBroker = (type: DestinationType) => type !== 'http';

/** Whether the URL carries a password, or a NATS token, shown as `***` (lib/destinations/broker-url.ts). */
export function hasMaskedPassword(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.password === '***' || (userIsToken(parsed) && parsed.username === '***');
  } catch {
    return false;
  }
}

/** The options as the destination page lists them: label and value, defaults spelled out. */
export function optionRows(type: DestinationType, options: Record<string, unknown>): { label: string; value: string }[] {
  return DESTINATION_TYPE_INFO[type].options.map((field) => {
    const raw = options[field.key];
    if (field.key === 'exchange' && (raw === '' || raw === undefined)) return { label: field.label, value: '(default exchange)' };
    if (raw === undefined || raw === null || raw === '') return { label: field.label, value: field.kind === 'number' ? 'None' : '–' };
    return { label: field.label, value: typeof raw === 'number' ? new Intl.NumberFormat('en').format(raw) : String(raw) };
  });
}

/** The options in one line, for lists: `routing key "orders"`, `stream "events"`, `subject "a.b"`. */
export function optionsSummary(type: DestinationType, options: Record<string, unknown>): string | null {
  if (type === 'amqp') {
    const exchange = typeof options.exchange === 'string' && options.exchange !== '' ? `exchange "${options.exchange}", ` : '';
    return `${exchange}routing key "${String(options.routingKey ?? '')}"`;
  }
  if (type === 'redis') return `stream "${String(options.stream ?? '')}"`;
  if (type === 'nats') return `subject "${String(options.subject ?? '')}"`;
  return null;
}
