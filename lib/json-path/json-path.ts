/**
 * Hookyard's one JSON-path dialect (docs/json-path.md), used wherever a person names a place in a
 * payload: dedup keys and event types (a source's fields, and the configurable providers'
 * settings), ordering keys (destinations), payload search (`q=path=value`), and the providers'
 * own fixed paths. Pure, and on the ingest hot path: parse a path once, read it per request.
 *
 * Grammar: segments separated by `.`; a segment is a key, optionally followed by `[n]` indexes
 * (`items[0].sku`); an all-digit key is an index too (`events.0.id`); a leading `$` or `$.` is
 * ignored. Reading follows own keys of objects and indexes of arrays only.
 */
export type JsonPath = readonly (string | number)[];

const SEGMENT = /^([^[\]]*)((?:\[\d+\])*)$/;

/** The path's segments; throws on a malformed path (e.g. `items[x]`). */
export function parseJsonPath(path: string): (string | number)[] {
  const trimmed = path.trim().replace(/^\$\.?/, '');
  if (!trimmed) return [];
  const parts: (string | number)[] = [];
  for (const segment of trimmed.split('.')) {
    const match = SEGMENT.exec(segment);
    if (!match) throw new Error(`"${path}" is not a JSON path like data.object.id or items[0].sku`);
    if (match[1]) parts.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

/** The value at `path`, or undefined when the payload has nothing there. */
export function getJsonPath(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (Array.isArray(current)) {
      if (typeof part !== 'number') return undefined;
      current = current[part];
    } else {
      if (!Object.hasOwn(current, part)) return undefined;
      current = (current as Record<string | number, unknown>)[part];
    }
  }
  return current;
}

/** The value at `path` as a string key (numbers and booleans stringified), or null when absent or empty. */
export function jsonPathString(value: unknown, path: JsonPath): string | null {
  const found = getJsonPath(value, path);
  if (typeof found === 'string') return found || null;
  if (typeof found === 'number') return Number.isFinite(found) ? String(found) : null;
  if (typeof found === 'boolean') return String(found);
  return null;
}

// Paths given as text are few (the providers' constants, a handful of settings): parsed once each.
const parsedPaths = new Map<string, JsonPath | null>();
const MAX_PARSED_PATHS = 1_000;

/** `jsonPathString` for a path given as text; a malformed path reads nothing. */
export function readJsonPathString(value: unknown, path: string): string | null {
  let parsed = parsedPaths.get(path);
  if (parsed === undefined) {
    try {
      parsed = parseJsonPath(path);
    } catch {
      parsed = null;
    }
    if (parsedPaths.size < MAX_PARSED_PATHS) parsedPaths.set(path, parsed);
  }
  return parsed ? jsonPathString(value, parsed) : null;
}
