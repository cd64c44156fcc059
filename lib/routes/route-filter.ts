/**
 * Does a route want this event? Pure, and on the ingest hot path (once per request per route),
 * so routes are compiled once into closures (`compileRoute`) and `routeMatches` caches the
 * compiled form per route object.
 *
 * Event types: an empty list matches every event. A pattern without `*` must equal the type
 * (case-sensitive). `*` matches one or more characters of any kind, dots and slashes included,
 * so `order.*` matches `order.created` and `order.item.added` but not `order`; `*.deleted` matches
 * `customer.deleted`; `*` alone matches every event. An event without a type matches only an
 * empty list or one containing `*`.
 *
 * Filter: a JSON document matched against the payload, Hookdeck/Convoy style.
 * - a plain value must equal the payload's value (no type coercion);
 * - an object matches recursively as a subset: every key of the filter must match, other keys of
 *   the payload are ignored; keys starting with `$` are operators on the value at that level;
 * - an array in the filter matches when the payload's array contains every one of its elements;
 * - a non-array filter against a payload array matches when any element matches (so
 *   `{"tags": "vip"}` matches `{"tags": ["new", "vip"]}`);
 * - operators: `$eq` `$neq` (deep equality), `$in` `$nin` (one of a list), `$gt` `$gte` `$lt` `$lte`
 *   (numbers with numbers, strings with strings, e.g. ISO dates), `$exist` (true/false),
 *   `$startsWith` `$endsWith` (strings), `$contains` (substring, or array element), `$or` `$and`
 *   (lists of filters), `$not` (a filter). A missing field fails every operator except `$neq`,
 *   `$nin`, `$exist: false` and `$not` of something that needs the field.
 */
import { z } from 'zod';

export const MAX_FILTER_DEPTH = 8;
export const MAX_FILTER_BYTES = 4096;

const COMPARISON_OPERATORS = ['$gt', '$gte', '$lt', '$lte'] as const;
const STRING_OPERATORS = ['$startsWith', '$endsWith'] as const;
export const FILTER_OPERATORS = [
  '$eq',
  '$neq',
  '$in',
  '$nin',
  ...COMPARISON_OPERATORS,
  '$exist',
  ...STRING_OPERATORS,
  '$contains',
  '$or',
  '$and',
  '$not',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const OPERATOR_SET = new Set<string>(FILTER_OPERATORS);

type Matcher = (value: unknown) => boolean;

export interface RouteLike {
  eventTypes: readonly string[];
  filter: unknown;
  /** When false the route matches nothing. */
  enabled?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Validation (the zod schema shared by the API and the forms)
// ---------------------------------------------------------------------------------------------

interface FilterIssue {
  path: (string | number)[];
  message: string;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function validateNode(node: unknown, path: (string | number)[], depth: number, issues: FilterIssue[]): void {
  if (issues.length >= 20) return;
  if (typeof node === 'number' && !Number.isFinite(node)) issues.push({ path, message: 'numbers must be finite' });
  if (typeof node !== 'object' || node === null) return;
  // Depth counts objects and lists: {"a": {"b": 1}} is 2 levels deep.
  if (depth > MAX_FILTER_DEPTH) {
    issues.push({ path, message: `the filter is nested more than ${MAX_FILTER_DEPTH} levels deep` });
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, index) => validateNode(item, [...path, index], depth + 1, issues));
    return;
  }
  if (!isPlainObject(node)) return;
  for (const [key, operand] of Object.entries(node)) {
    const at = [...path, key];
    if (!key.startsWith('$')) {
      validateNode(operand, at, depth + 1, issues);
      continue;
    }
    if (!OPERATOR_SET.has(key)) {
      issues.push({ path: at, message: `unknown operator ${key}; use one of ${FILTER_OPERATORS.join(' ')}` });
      continue;
    }
    switch (key as FilterOperator) {
      case '$eq':
      case '$neq':
      case '$contains':
        validateNode(operand, at, depth + 1, issues);
        break;
      case '$in':
      case '$nin':
        if (!Array.isArray(operand)) issues.push({ path: at, message: `${key} takes a list of values` });
        else validateNode(operand, at, depth + 1, issues);
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (typeof operand !== 'string' && !(typeof operand === 'number' && Number.isFinite(operand))) {
          issues.push({ path: at, message: `${key} takes a number or a string` });
        }
        break;
      case '$exist':
        if (typeof operand !== 'boolean') issues.push({ path: at, message: '$exist takes true or false' });
        break;
      case '$startsWith':
      case '$endsWith':
        if (typeof operand !== 'string') issues.push({ path: at, message: `${key} takes a string` });
        break;
      case '$or':
      case '$and':
        if (!Array.isArray(operand) || operand.length === 0) issues.push({ path: at, message: `${key} takes a non-empty list of filters` });
        else validateNode(operand, at, depth + 1, issues);
        break;
      case '$not':
        validateNode(operand, at, depth + 1, issues);
        break;
    }
  }
}

/** The issues of a filter document; empty when it is valid. */
export function validateRouteFilter(filter: unknown): FilterIssue[] {
  if (!isPlainObject(filter)) return [{ path: [], message: 'the filter must be a JSON object, e.g. {"data": {"status": "paid"}}' }];
  const size = Buffer.byteLength(JSON.stringify(filter));
  if (size > MAX_FILTER_BYTES) return [{ path: [], message: `the filter is ${size} bytes; at most ${MAX_FILTER_BYTES} are allowed` }];
  const issues: FilterIssue[] = [];
  validateNode(filter, [], 1, issues);
  return issues;
}

/** A route filter: a JSON object with known operators, at most 8 levels deep and 4 KiB. */
export const routeFilterSchema = z.json().superRefine((filter, ctx) => {
  for (const issue of validateRouteFilter(filter)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
export type RouteFilter = Record<string, unknown>;

/** One event-type pattern: `order.created`, `order.*`, `*`. */
export const eventTypePatternSchema = z
  .string()
  .trim()
  .min(1, 'an event type pattern cannot be empty')
  .max(200)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'control characters are not allowed');

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((key) => Object.hasOwn(b as object, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Equality as `$eq` sees it: deep equality, or membership when the payload is an array and the operand is not. */
function equalsOrContains(value: unknown, operand: unknown): boolean {
  if (Array.isArray(value) && !Array.isArray(operand)) return value.some((item) => deepEqual(item, operand));
  return deepEqual(value, operand);
}

function compare(op: (typeof COMPARISON_OPERATORS)[number], operand: number | string): Matcher {
  const check = (value: unknown): boolean => {
    if (typeof value !== typeof operand) return false;
    const v = value as number | string;
    switch (op) {
      case '$gt':
        return v > operand;
      case '$gte':
        return v >= operand;
      case '$lt':
        return v < operand;
      case '$lte':
        return v <= operand;
    }
  };
  return (value) => (Array.isArray(value) ? value.some(check) : check(value));
}

function compileOperator(op: FilterOperator, operand: unknown): Matcher {
  switch (op) {
    case '$eq':
      return (value) => equalsOrContains(value, operand);
    case '$neq':
      return (value) => !equalsOrContains(value, operand);
    case '$in': {
      const list = operand as unknown[];
      return (value) => list.some((candidate) => equalsOrContains(value, candidate));
    }
    case '$nin': {
      const list = operand as unknown[];
      return (value) => !list.some((candidate) => equalsOrContains(value, candidate));
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return compare(op, operand as number | string);
    case '$exist':
      return operand ? (value) => value !== undefined : (value) => value === undefined;
    case '$startsWith': {
      const prefix = operand as string;
      return (value) => (Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && v.startsWith(prefix));
    }
    case '$endsWith': {
      const suffix = operand as string;
      return (value) => (Array.isArray(value) ? value : [value]).some((v) => typeof v === 'string' && v.endsWith(suffix));
    }
    case '$contains':
      return (value) => {
        if (typeof value === 'string') return typeof operand === 'string' && value.includes(operand);
        if (Array.isArray(value)) return value.some((item) => deepEqual(item, operand));
        return false;
      };
    case '$or': {
      const branches = (operand as unknown[]).map(compileNode);
      return (value) => branches.some((branch) => branch(value));
    }
    case '$and': {
      const branches = (operand as unknown[]).map(compileNode);
      return (value) => branches.every((branch) => branch(value));
    }
    case '$not': {
      const inner = compileNode(operand);
      return (value) => !inner(value);
    }
  }
}

function compileNode(node: unknown): Matcher {
  if (Array.isArray(node)) {
    // Every element of the filter array must match some element of the payload array.
    const elements = node.map(compileNode);
    return (value) => Array.isArray(value) && elements.every((element) => value.some((item) => element(item)));
  }
  if (isPlainObject(node)) {
    const operators: Matcher[] = [];
    const fields: [string, Matcher][] = [];
    for (const [key, operand] of Object.entries(node)) {
      if (key.startsWith('$')) operators.push(compileOperator(key as FilterOperator, operand));
      else fields.push([key, compileNode(operand)]);
    }
    const matchFields = (value: unknown): boolean => {
      if (fields.length === 0) return true;
      if (Array.isArray(value)) return value.some(matchFields);
      // Fields of a non-object are missing, so `{"a": {"b": {"$exist": false}}}` holds when `a` is absent.
      const object = isPlainObject(value) ? value : undefined;
      for (const [key, matcher] of fields) {
        if (!matcher(object && Object.hasOwn(object, key) ? object[key] : undefined)) return false;
      }
      return true;
    };
    if (operators.length === 0) return matchFields;
    return (value) => operators.every((operator) => operator(value)) && matchFields(value);
  }
  // A plain value: equality, or membership in a payload array.
  return (value) => (Array.isArray(value) ? value.includes(node) : value === node);
}

/** Compiles a (validated) filter into a predicate over the payload. Null/undefined matches everything. */
export function compileFilter(filter: unknown): Matcher {
  if (filter === null || filter === undefined) return () => true;
  return compileNode(filter);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles event-type patterns into a predicate over the event type (see the header comment). */
export function compileEventTypes(patterns: readonly string[]): (eventType: string | null) => boolean {
  if (patterns.length === 0 || patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !p.includes('*')));
  const wildcards = patterns.filter((p) => p.includes('*'));
  const regex = wildcards.length ? new RegExp(`^(?:${wildcards.map((p) => p.split('*').map(escapeRegExp).join('.+')).join('|')})$`, 's') : null;
  return (eventType) => eventType !== null && (exact.has(eventType) || (regex !== null && regex.test(eventType)));
}

/** The route as one predicate `(eventType, payload) => boolean`; compile once, call per request. */
export function compileRoute(route: RouteLike): (eventType: string | null, payload: unknown) => boolean {
  if (route.enabled === false) return () => false;
  const typeMatches = compileEventTypes(route.eventTypes);
  const hasFilter = route.filter !== null && route.filter !== undefined;
  const filterMatches = compileFilter(route.filter);
  return hasFilter ? (eventType, payload) => typeMatches(eventType) && filterMatches(payload) : (eventType) => typeMatches(eventType);
}

const compiled = new WeakMap<RouteLike, (eventType: string | null, payload: unknown) => boolean>();

/**
 * Does `route` want this event? Compiles the route on first use and caches the result per route
 * object, so a cached route list pays the compile cost once.
 */
export function routeMatches(route: RouteLike, eventType: string | null, payload: unknown): boolean {
  let matcher = compiled.get(route);
  if (!matcher) {
    matcher = compileRoute(route);
    compiled.set(route, matcher);
  }
  return matcher(eventType, payload);
}
