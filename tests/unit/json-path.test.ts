import { describe, expect, it } from 'vitest';
import { getJsonPath, jsonPathString, parseJsonPath, readJsonPathString } from '@/lib/json-path/json-path';
import { conventionalEventType, readFirstPlace } from '@/lib/providers/event-identity';

const payload = {
  type: 'order.created',
  data: { object: { id: 'pi_123', amount: 100, paid: true, note: '', nothing: null } },
  items: [{ sku: 'A-1' }, { sku: 'B-7' }],
  matrix: [
    [1, 2],
    [3, 4],
  ],
  'x-request-id': 'req_9',
};

describe('parseJsonPath', () => {
  it('splits dotted keys, bracket indexes and all-digit segments', () => {
    expect(parseJsonPath('data.object.id')).toEqual(['data', 'object', 'id']);
    expect(parseJsonPath('items[0].sku')).toEqual(['items', 0, 'sku']);
    expect(parseJsonPath('matrix[1][0]')).toEqual(['matrix', 1, 0]);
    expect(parseJsonPath('events.0.id')).toEqual(['events', 0, 'id']);
  });

  it('ignores a leading $ or $., surrounding whitespace and empty segments', () => {
    expect(parseJsonPath('$.event.id')).toEqual(['event', 'id']);
    expect(parseJsonPath('  a..b ')).toEqual(['a', 'b']);
    expect(parseJsonPath('$')).toEqual([]);
    expect(parseJsonPath('')).toEqual([]);
  });

  it('keeps other characters as part of the key', () => {
    expect(parseJsonPath('headers.x-request-id')).toEqual(['headers', 'x-request-id']);
  });

  it('refuses brackets that are not an index', () => {
    expect(() => parseJsonPath('items[x]')).toThrow(/not a JSON path/);
    expect(() => parseJsonPath('items[0')).toThrow(/not a JSON path/);
  });
});

describe('reading a path', () => {
  it('finds nested values, array elements and keys with dashes', () => {
    expect(getJsonPath(payload, parseJsonPath('data.object.id'))).toBe('pi_123');
    expect(getJsonPath(payload, parseJsonPath('items[1].sku'))).toBe('B-7');
    expect(getJsonPath(payload, parseJsonPath('items.0.sku'))).toBe('A-1');
    expect(getJsonPath(payload, parseJsonPath('matrix[1][0]'))).toBe(3);
    expect(getJsonPath(payload, parseJsonPath('x-request-id'))).toBe('req_9');
  });

  it('reads nothing past a missing key, a scalar, or outside an array', () => {
    expect(getJsonPath(payload, parseJsonPath('data.missing.id'))).toBeUndefined();
    expect(getJsonPath(payload, parseJsonPath('type.length'))).toBeUndefined();
    expect(getJsonPath(payload, parseJsonPath('items[5].sku'))).toBeUndefined();
    expect(getJsonPath(null, parseJsonPath('a'))).toBeUndefined();
  });

  it('reads own keys and indexes only, never the prototype or an array length', () => {
    expect(getJsonPath(payload, ['constructor'])).toBeUndefined();
    expect(getJsonPath(payload, ['__proto__'])).toBeUndefined();
    expect(getJsonPath(payload, parseJsonPath('items.length'))).toBeUndefined();
  });

  it('gives keys as strings: numbers and booleans stringified, empty or structured values as null', () => {
    expect(jsonPathString(payload, parseJsonPath('data.object.id'))).toBe('pi_123');
    expect(jsonPathString(payload, parseJsonPath('data.object.amount'))).toBe('100');
    expect(jsonPathString(payload, parseJsonPath('data.object.paid'))).toBe('true');
    expect(jsonPathString(payload, parseJsonPath('data.object.note'))).toBeNull();
    expect(jsonPathString(payload, parseJsonPath('data.object.nothing'))).toBeNull();
    expect(jsonPathString(payload, parseJsonPath('data.object'))).toBeNull();
    expect(jsonPathString(payload, parseJsonPath('items'))).toBeNull();
  });

  it('reads a path given as text, and nothing for a malformed one', () => {
    expect(readJsonPathString(payload, '$.items[0].sku')).toBe('A-1');
    expect(readJsonPathString(payload, 'items[x]')).toBeNull();
    expect(readJsonPathString(payload, 'items[x]')).toBeNull();
  });
});

describe('dedup and event-type places', () => {
  const request = { headers: { 'x-event-id': '  evt_1  ', 'x-empty': '  ' } };

  it('takes the first place that holds a value: a trimmed header, else a path', () => {
    expect(readFirstPlace(request, payload, [{ header: 'X-Event-Id' }, { path: 'data.object.id' }])).toBe('evt_1');
    expect(readFirstPlace(request, payload, [{ header: 'x-empty' }, { path: 'data.object.id' }])).toBe('pi_123');
    expect(readFirstPlace(request, payload, [{ path: ['items', 1, 'sku'] }])).toBe('B-7');
    expect(readFirstPlace(request, payload, [{ header: 'x-missing' }])).toBeNull();
    expect(readFirstPlace(request, payload, [])).toBeNull();
  });

  it('finds the conventional event type in type, event_type or event', () => {
    expect(conventionalEventType(payload)).toBe('order.created');
    expect(conventionalEventType({ event_type: 'user.deleted' })).toBe('user.deleted');
    expect(conventionalEventType({ type: '', event: 'ping' })).toBe('ping');
    expect(conventionalEventType('not an object')).toBeNull();
  });
});
