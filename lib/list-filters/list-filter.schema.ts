/**
 * Filters of the events and deliveries lists (and of bulk replays and the failed queue), shared
 * by the JSON API and the dashboard. Query strings arrive as strings, so numbers and dates are parsed here.
 *
 * `q` is one of two searches (docs/replay-and-retention.md, "Searching payloads"):
 *  - `path=value`, e.g. `data.object.id=pi_123`: JSON equality at a path, answered by the GIN
 *    `jsonb_path_ops` index (`payload @> '{"data":{"object":{"id":"pi_123"}}}'`). An unquoted
 *    value that reads as a JSON number, `true`, `false` or `null` matches that value or the same
 *    text as a string (`amount=100` finds 100 and "100"); a quoted value (`id="100"`) is a string
 *    only. Anything else is a string, taken as written.
 *  - anything else: the exact bytes searched for inside the raw body (case-sensitive), over a
 *    bounded time window. Wrap the whole query in double quotes to search for text that looks
 *    like `path=value`.
 */
import { z } from 'zod';
import { AppError } from '@/lib/http/errors';
import { parseJsonPath } from '@/lib/json-path/json-path';

export const DELIVERY_STATUSES = ['pending', 'in_flight', 'succeeded', 'failed', 'paused', 'cancelled'] as const;
export type DeliveryStatusName = (typeof DELIVERY_STATUSES)[number];
/**
 * What the status filter offers: the statuses, and `held`, a view of `pending` (so `pending`
 * still includes them): pending deliveries that wait because their destination's circuit is open
 * (lib/deliveries/delivery-status-sql.ts). Nothing stores or reports it as a status.
 */
export const DELIVERY_STATUS_FILTERS = [...DELIVERY_STATUSES, 'held'] as const;
export type DeliveryStatusFilter = (typeof DELIVERY_STATUS_FILTERS)[number];

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** A free-text search scans bodies, so its window is bounded; without `from` it is the last day. */
export const TEXT_SEARCH_MAX_DAYS = 7;
export const TEXT_SEARCH_DEFAULT_HOURS = 24;
const MAX_QUERY_LENGTH = 500;

export type PayloadSearch =
  | {
      kind: 'path';
      path: (string | number)[];
      /** Each alternative is matched with `payload @> …`; any one matching is enough. */ contains: unknown[];
      exact: boolean;
      values: unknown[];
    }
  | { kind: 'text'; text: string };

/** `data.object.id`, `items[0].sku`, `$.event.id`: the JSON-path dialect (docs/json-path.md), with keys of letters, digits, `_` and `-`. */
const PATH_QUERY = /^\s*(\$\.)?([A-Za-z0-9_-]+(\[\d+\])*)(\.[A-Za-z0-9_-]+(\[\d+\])*)*\s*=/;
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function nest(path: readonly (string | number)[], value: unknown): unknown {
  let result = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i]!;
    result = typeof segment === 'number' ? [result] : { [segment]: result };
  }
  return result;
}

/** The values an unquoted `path=value` matches: the JSON scalar it spells, and the string itself. */
function candidateValues(raw: string): unknown[] {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return [parsed];
    } catch {
      // Not a JSON string literal: fall through and take it as written.
    }
    return [value.slice(1, -1)];
  }
  if (value === 'true') return [true, value];
  if (value === 'false') return [false, value];
  if (value === 'null') return [null, value];
  if (JSON_NUMBER.test(value) && Number.isFinite(Number(value))) return [Number(value), value];
  return [value];
}

export function parsePayloadSearch(q: string): PayloadSearch {
  const trimmed = q.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') && !PATH_QUERY.test(trimmed)) {
    return { kind: 'text', text: trimmed.slice(1, -1) };
  }
  const match = PATH_QUERY.exec(trimmed);
  if (!match) return { kind: 'text', text: trimmed };
  const equals = trimmed.indexOf('=');
  const path = parseJsonPath(trimmed.slice(0, equals));
  const values = candidateValues(trimmed.slice(equals + 1));
  return {
    kind: 'path',
    path,
    values,
    contains: values.map((value) => nest(path, value)),
    // `@>` with an array matches any element; an index in the path needs an exact check too.
    exact: path.some((segment) => typeof segment === 'number'),
  };
}

const isoInstant = z
  .string()
  .trim()
  .refine((value) => /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: 'Not an ISO 8601 date or time, e.g. 2026-03-01 or 2026-03-01T12:00:00Z',
  })
  .transform((value) => new Date(value));

const eventTypeFilter = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((value) => !value.slice(0, -1).includes('*'), { message: 'Only a trailing * is allowed (order.* matches order.created)' });

/** The fields that select deliveries or events; the lists and bulk replays share them. */
export const filterFields = {
  sourceId: z.uuid('Not a source id').optional(),
  destinationId: z.uuid('Not a destination id').optional(),
  status: z.enum(DELIVERY_STATUS_FILTERS).optional(),
  /** Exact type, or a prefix with a trailing `*` (`order.*`). `*` alone means any type. */
  eventType: eventTypeFilter.optional(),
  /** Inclusive. */
  from: isoInstant.optional(),
  /** Exclusive. */
  to: isoInstant.optional(),
  q: z.string().trim().min(1).max(MAX_QUERY_LENGTH).optional(),
};

export const checkFilter = (value: { from?: Date; to?: Date; q?: string }, ctx: z.RefinementCtx) => {
  if (value.from && value.to && value.from >= value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: '`to` must be after `from`' });
  if (value.q) {
    try {
      const search = parsePayloadSearch(value.q);
      if (search.kind === 'text' && search.text.length === 0) ctx.addIssue({ code: 'custom', path: ['q'], message: 'Empty search' });
      if (search.kind === 'text' && value.from && value.to && value.to.getTime() - value.from.getTime() > TEXT_SEARCH_MAX_DAYS * 86_400_000) {
        ctx.addIssue({
          code: 'custom',
          path: ['q'],
          message: `A text search scans bodies, so its window (from … to) can span at most ${TEXT_SEARCH_MAX_DAYS} days; or search by path=value, which is indexed`,
        });
      }
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['q'], message: error instanceof Error ? error.message : 'Not a valid search' });
    }
  }
};

const cursor = z.string().trim().max(200).optional();
const limit = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);

export const listEventsQuerySchema = z.strictObject({ ...filterFields, cursor, limit }).superRefine(checkFilter);
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;

/** The deliveries list: the same filters; `from`/`to` apply to when the delivery was created. */
export const listDeliveriesQuerySchema = listEventsQuerySchema;
export type ListDeliveriesQuery = ListEventsQuery;

export type ListFilter = Omit<ListEventsQuery, 'cursor' | 'limit'>;

/** The event stream (GET /api/v1/events/stream): the list's filters, without paging. */
export const streamEventsQuerySchema = z.strictObject(filterFields).superRefine(checkFilter);

/**
 * A free-text search scans event bodies, so it runs over a bounded window: `from`/`to` as given
 * (at most TEXT_SEARCH_MAX_DAYS apart), or the last TEXT_SEARCH_DEFAULT_HOURS up to `to` (or now).
 * Other filters are returned unchanged. The window is part of the answer so a client can see it.
 */
export function withSearchWindow<F extends ListFilter>(filter: F, now = new Date()): F & { searchWindow?: { from: Date; to: Date } } {
  if (!filter.q || parsePayloadSearch(filter.q).kind !== 'text') return filter;
  const to = filter.to ?? (filter.from ? new Date(Math.max(now.getTime(), filter.from.getTime() + 1)) : now);
  const from = filter.from ?? new Date(to.getTime() - TEXT_SEARCH_DEFAULT_HOURS * 3_600_000);
  if (to.getTime() - from.getTime() > TEXT_SEARCH_MAX_DAYS * 86_400_000) {
    throw new AppError(
      'invalid_input',
      `q: a text search scans bodies, so its window (from … to) can span at most ${TEXT_SEARCH_MAX_DAYS} days; narrow it, or search by path=value, which is indexed`,
      [{ path: 'q', message: `window over ${TEXT_SEARCH_MAX_DAYS} days` }],
    );
  }
  return { ...filter, from, to, searchWindow: { from, to } };
}

/** `order.*` → a LIKE prefix pattern; an exact type → itself; `*` → no condition. */
export function eventTypeCondition(eventType: string): { kind: 'any' } | { kind: 'exact'; value: string } | { kind: 'prefix'; pattern: string } {
  if (eventType === '*') return { kind: 'any' };
  if (!eventType.endsWith('*')) return { kind: 'exact', value: eventType };
  return { kind: 'prefix', pattern: `${eventType.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
}
