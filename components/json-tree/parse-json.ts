/**
 * A JSON parser for display. Unlike JSON.parse it keeps what a person debugging a webhook needs
 * to see exactly as sent: the order of keys, duplicate keys, and numbers as written (a 64-bit id
 * such as 1234567890123456789 would be rounded by JSON.parse). Nesting is bounded so a hostile
 * body cannot exhaust the stack; such a body is shown raw instead.
 */

export type JsonNode =
  | { type: 'object'; entries: [string, JsonNode][] }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'string'; value: string }
  | { type: 'number'; raw: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' };

const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class ParseError extends Error {}

export function parseJson(text: string): JsonNode | null {
  let at = 0;

  const skipSpace = () => {
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) at++;
      else break;
    }
  };

  const readString = (): string => {
    // `at` is on the opening quote. JSON.parse decodes the escapes exactly as the spec says.
    const start = at;
    at++;
    while (at < text.length) {
      const c = text[at];
      if (c === '\\') at += 2;
      else if (c === '"') break;
      else at++;
    }
    if (at >= text.length) throw new ParseError('unterminated string');
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };

  const readValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw new ParseError('too deep');
    skipSpace();
    const c = text[at];
    if (c === '{') {
      at++;
      const entries: [string, JsonNode][] = [];
      skipSpace();
      if (text[at] === '}') {
        at++;
        return { type: 'object', entries };
      }
      for (;;) {
        skipSpace();
        if (text[at] !== '"') throw new ParseError('expected a key');
        const key = readString();
        skipSpace();
        if (text[at] !== ':') throw new ParseError('expected :');
        at++;
        entries.push([key, readValue(depth + 1)]);
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === '}') {
          at++;
          return { type: 'object', entries };
        }
        throw new ParseError('expected , or }');
      }
    }
    if (c === '[') {
      at++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[at] === ']') {
        at++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(readValue(depth + 1));
        skipSpace();
        if (text[at] === ',') {
          at++;
          continue;
        }
        if (text[at] === ']') {
          at++;
          return { type: 'array', items };
        }
        throw new ParseError('expected , or ]');
      }
    }
    if (c === '"') return { type: 'string', value: readString() };
    if (text.startsWith('true', at)) {
      at += 4;
      return { type: 'boolean', value: true };
    }
    if (text.startsWith('false', at)) {
      at += 5;
      return { type: 'boolean', value: false };
    }
    if (text.startsWith('null', at)) {
      at += 4;
      return { type: 'null' };
    }
    NUMBER.lastIndex = at;
    const match = NUMBER.exec(text);
    if (match) {
      at += match[0].length;
      return { type: 'number', raw: match[0] };
    }
    throw new ParseError('unexpected character');
  };

  try {
    const root = readValue(0);
    skipSpace();
    if (at !== text.length) return null;
    return root;
  } catch {
    // A syntax error, a bad escape (JSON.parse threw), or nesting past MAX_DEPTH.
    return null;
  }
}

/** `data.object.id`, `items[0].sku`: the syntax of the explorer's payload search, when a path can be written in it. */
export function searchPath(path: readonly (string | number)[]): string | null {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!out) return null;
      out += `[${segment}]`;
    } else {
      if (!/^[A-Za-z0-9_-]+$/.test(segment)) return null;
      out += out ? `.${segment}` : segment;
    }
  }
  return out || null;
}

/** The `q` that finds events whose payload has this value at this path, or null when it cannot be written. */
export function searchQueryFor(path: readonly (string | number)[], node: JsonNode): string | null {
  const written = searchPath(path);
  if (!written) return null;
  let value: string;
  if (node.type === 'string') value = JSON.stringify(node.value);
  else if (node.type === 'number') value = node.raw;
  else if (node.type === 'boolean') value = String(node.value);
  else if (node.type === 'null') value = 'null';
  else return null;
  const q = `${written}=${value}`;
  return q.length <= 500 ? q : null;
}
