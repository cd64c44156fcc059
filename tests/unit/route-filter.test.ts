import { describe, expect, it } from 'vitest';
import { compileEventTypes, compileFilter, compileRoute, routeFilterSchema, routeMatches, validateRouteFilter } from '@/lib/routes/route-filter';

const order = {
  type: 'order.created',
  data: {
    id: 'ord_1',
    status: 'paid',
    total: 120.5,
    currency: 'EUR',
    email: 'ann@example.com',
    tags: ['vip', 'new'],
    items: [
      { sku: 'A-1', qty: 2 },
      { sku: 'B-7', qty: 1 },
    ],
    shipping: null,
    created: '2025-03-01T10:00:00Z',
  },
};

const matches = (filter: unknown, payload: unknown = order) => compileFilter(filter)(payload);

describe('event-type patterns', () => {
  it('matches everything when the list is empty, including events without a type', () => {
    const any = compileEventTypes([]);
    expect(any('order.created')).toBe(true);
    expect(any(null)).toBe(true);
  });

  it('matches exact types case-sensitively', () => {
    const exact = compileEventTypes(['order.created', 'push']);
    expect(exact('order.created')).toBe(true);
    expect(exact('push')).toBe(true);
    expect(exact('Order.Created')).toBe(false);
    expect(exact('order.created.v2')).toBe(false);
    expect(exact(null)).toBe(false);
  });

  it('lets * match one or more characters, dots and slashes included', () => {
    const wildcard = compileEventTypes(['order.*']);
    expect(wildcard('order.created')).toBe(true);
    expect(wildcard('order.item.added')).toBe(true);
    expect(wildcard('order')).toBe(false);
    expect(wildcard('order.')).toBe(false);
    expect(wildcard('orders.created')).toBe(false);
    expect(compileEventTypes(['*.deleted'])('customer.subscription.deleted')).toBe(true);
    expect(compileEventTypes(['orders/*'])('orders/create')).toBe(true);
    expect(compileEventTypes(['a*c'])('abc')).toBe(true);
    expect(compileEventTypes(['a*c'])('ac')).toBe(false);
  });

  it('treats regex characters in patterns literally', () => {
    const pattern = compileEventTypes(['invoice.(paid)*']);
    expect(pattern('invoice.(paid).v1')).toBe(true);
    expect(pattern('invoiceX(paid).v1')).toBe(false);
  });

  it('matches events without a type only for an empty list or "*"', () => {
    expect(compileEventTypes(['*'])(null)).toBe(true);
    expect(compileEventTypes(['*'])('anything')).toBe(true);
    expect(compileEventTypes(['order.*'])(null)).toBe(false);
  });
});

describe('payload filters', () => {
  it('matches plain values by equality and objects as subsets', () => {
    expect(matches({ data: { status: 'paid' } })).toBe(true);
    expect(matches({ data: { status: 'paid', currency: 'EUR' } })).toBe(true);
    expect(matches({ data: { status: 'refunded' } })).toBe(false);
    expect(matches({ data: { total: '120.5' } })).toBe(false); // no coercion
    expect(matches({ data: { missing: 'x' } })).toBe(false);
    expect(matches({ data: { shipping: null } })).toBe(true);
    expect(matches({})).toBe(true);
  });

  it('matches arrays: a filter array must be contained, a plain value must be an element', () => {
    expect(matches({ data: { tags: 'vip' } })).toBe(true);
    expect(matches({ data: { tags: ['new', 'vip'] } })).toBe(true);
    expect(matches({ data: { tags: ['vip', 'gold'] } })).toBe(false);
    expect(matches({ data: { items: { sku: 'B-7' } } })).toBe(true);
    expect(matches({ data: { items: [{ sku: 'B-7', qty: 1 }] } })).toBe(true);
    expect(matches({ data: { items: [{ sku: 'B-7', qty: 2 }] } })).toBe(false);
    expect(matches({ data: { status: ['paid'] } })).toBe(false); // a filter array needs a payload array
  });

  it('supports $eq, $neq, $in and $nin', () => {
    expect(matches({ data: { status: { $eq: 'paid' } } })).toBe(true);
    expect(
      matches({
        data: {
          items: {
            $eq: [
              { sku: 'A-1', qty: 2 },
              { sku: 'B-7', qty: 1 },
            ],
          },
        },
      }),
    ).toBe(true);
    expect(matches({ data: { status: { $neq: 'paid' } } })).toBe(false);
    expect(matches({ data: { nothing: { $neq: 'paid' } } })).toBe(true);
    expect(matches({ data: { status: { $in: ['paid', 'settled'] } } })).toBe(true);
    expect(matches({ data: { status: { $in: ['open'] } } })).toBe(false);
    expect(matches({ data: { tags: { $in: ['gold', 'vip'] } } })).toBe(true);
    expect(matches({ data: { status: { $nin: ['open', 'void'] } } })).toBe(true);
    expect(matches({ data: { status: { $nin: ['paid'] } } })).toBe(false);
  });

  it('compares numbers with numbers and strings with strings', () => {
    expect(matches({ data: { total: { $gt: 100 } } })).toBe(true);
    expect(matches({ data: { total: { $gte: 120.5, $lt: 121 } } })).toBe(true);
    expect(matches({ data: { total: { $lte: 100 } } })).toBe(false);
    expect(matches({ data: { total: { $gt: '100' } } })).toBe(false);
    expect(matches({ data: { created: { $gte: '2025-01-01', $lt: '2026-01-01' } } })).toBe(true);
    expect(matches({ data: { items: { qty: { $gt: 1 } } } })).toBe(true);
  });

  it('supports $exist, $startsWith, $endsWith and $contains', () => {
    expect(matches({ data: { email: { $exist: true } } })).toBe(true);
    expect(matches({ data: { phone: { $exist: false } } })).toBe(true);
    expect(matches({ data: { phone: { $exist: true } } })).toBe(false);
    expect(matches({ data: { shipping: { $exist: true } } })).toBe(true); // null is present
    expect(matches({ type: { $startsWith: 'order.' } })).toBe(true);
    expect(matches({ data: { email: { $endsWith: '@example.com' } } })).toBe(true);
    expect(matches({ data: { email: { $endsWith: '@example.org' } } })).toBe(false);
    expect(matches({ data: { email: { $contains: 'ann@' } } })).toBe(true);
    expect(matches({ data: { tags: { $contains: 'new' } } })).toBe(true);
    expect(matches({ data: { total: { $contains: '1' } } })).toBe(false);
  });

  it('supports $or, $and and $not at any level', () => {
    expect(matches({ $or: [{ data: { status: 'open' } }, { data: { currency: 'EUR' } }] })).toBe(true);
    expect(matches({ $or: [{ data: { status: 'open' } }, { data: { currency: 'USD' } }] })).toBe(false);
    expect(matches({ data: { $and: [{ status: 'paid' }, { total: { $gt: 100 } }] } })).toBe(true);
    expect(matches({ data: { status: { $not: { $in: ['open', 'void'] } } } })).toBe(true);
    expect(matches({ $not: { data: { status: 'paid' } } })).toBe(false);
    expect(matches({ type: 'order.created', $or: [{ data: { tags: 'vip' } }, { data: { total: { $gt: 1000 } } }] })).toBe(true);
  });

  it('does not match non-JSON payloads unless the filter asks for absence', () => {
    expect(compileFilter({ data: { status: 'paid' } })(undefined)).toBe(false);
    expect(compileFilter({ data: { $exist: false } })(undefined)).toBe(true);
    expect(matches({ data: { status: 'paid' } }, 'text body')).toBe(false);
  });
});

describe('filter validation', () => {
  it('accepts valid filters and rejects unknown operators and wrong operand types', () => {
    expect(routeFilterSchema.safeParse({ data: { status: { $in: ['a', 'b'] } } }).success).toBe(true);
    expect(validateRouteFilter({ data: { status: { $regex: '.*' } } })[0]).toMatchObject({ path: ['data', 'status', '$regex'] });
    expect(validateRouteFilter({ total: { $gt: true } })).toHaveLength(1);
    expect(validateRouteFilter({ total: { $in: 'a' } })).toHaveLength(1);
    expect(validateRouteFilter({ $or: [] })).toHaveLength(1);
    expect(validateRouteFilter({ x: { $exist: 'yes' } })).toHaveLength(1);
    expect(validateRouteFilter(['not', 'an', 'object'])).toHaveLength(1);
    expect(validateRouteFilter('paid')).toHaveLength(1);
  });

  it('limits depth to 8 levels and size to 4 KiB', () => {
    const nest = (levels: number): unknown => (levels === 1 ? { leaf: 1 } : { n: nest(levels - 1) });
    expect(validateRouteFilter(nest(8))).toEqual([]);
    expect(validateRouteFilter(nest(9))[0]?.message).toMatch(/8 levels/);
    expect(validateRouteFilter({ big: 'x'.repeat(5000) })[0]?.message).toMatch(/4096/);
  });
});

describe('routeMatches', () => {
  it('needs both the event type and the filter to match', () => {
    const route = { eventTypes: ['order.*'], filter: { data: { status: 'paid' } } };
    expect(routeMatches(route, 'order.created', order)).toBe(true);
    expect(routeMatches(route, 'invoice.created', order)).toBe(false);
    expect(routeMatches(route, 'order.created', { data: { status: 'open' } })).toBe(false);
    expect(routeMatches({ eventTypes: [], filter: null }, null, undefined)).toBe(true);
    expect(routeMatches({ eventTypes: [], filter: null, enabled: false }, 'x', {})).toBe(false);
  });

  it('is fast enough for the ingest path', () => {
    const matcher = compileRoute({
      eventTypes: ['order.*', 'invoice.paid', 'customer.*'],
      filter: { data: { status: { $in: ['paid', 'settled'] }, total: { $gte: 10 }, tags: 'vip' } },
    });
    const started = performance.now();
    for (let i = 0; i < 100_000; i++) matcher('order.created', order);
    // 100k evaluations: a few milliseconds here; the bound only catches pathological slowness.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
