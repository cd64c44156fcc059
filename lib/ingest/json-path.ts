/**
 * Dotted JSON paths as people write them in settings: `data.object.id`, `items[0].sku`,
 * `events.0.id`. A leading `$.` is accepted and ignored.
 */
export function parseJsonPath(path: string): (string | number)[] {
  const trimmed = path.trim().replace(/^\$\.?/, '');
  if (!trimmed) return [];
  const parts: (string | number)[] = [];
  for (const segment of trimmed.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(segment);
    if (!match) throw new Error(`"${path}" is not a JSON path like data.object.id or items[0].sku`);
    if (match[1]) parts.push(/^\d+$/.test(match[1]) ? Number(match[1]) : match[1]);
    for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

export function getJsonPath(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** The value at `path` as a string key (numbers and booleans stringified), or null. */
export function jsonPathString(value: unknown, path: readonly (string | number)[]): string | null {
  const found = getJsonPath(value, path);
  if (typeof found === 'string') return found || null;
  if (typeof found === 'number' || typeof found === 'boolean') return String(found);
  return null;
}
