/**
 * Routes: which source's events go to which destination, with optional event-type patterns and
 * payload conditions (matched by `route-filter.ts` on the ingest path). One route per
 * (source, destination) pair. Deleting a route really deletes it; deliveries it created stay,
 * with `routeId` null.
 */
import type { Principal } from '@/lib/auth/principal';
import { recordAudit } from '@/lib/audit/record-audit';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { isUniqueViolation } from '@/lib/db/errors';
import { Prisma } from '@/lib/db/generated/client';
import { isUuid } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { conflict, notFound } from '@/lib/http/errors';
import { assertTransformCompiles } from '@/lib/transforms/test-transform';
import type { CreateRouteInput, ListRoutesQuery, UpdateRouteInput } from './routes.schema';

export const ROUTE_SELECT = {
  id: true,
  sourceId: true,
  destinationId: true,
  eventTypes: true,
  filter: true,
  transform: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
  source: { select: { id: true, name: true, slug: true, status: true } },
  destination: { select: { id: true, name: true, url: true, status: true } },
} as const;

export type RouteView = Prisma.RouteGetPayload<{ select: typeof ROUTE_SELECT }>;

const auditCopy = ({ id, sourceId, destinationId, eventTypes, filter, transform, enabled }: RouteView) => ({
  id,
  sourceId,
  destinationId,
  eventTypes,
  filter,
  transform,
  enabled,
});

/** A filter for Prisma: null clears the column (SQL NULL), undefined leaves it alone. */
function filterInput(filter: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull | undefined {
  if (filter === undefined) return undefined;
  if (filter === null) return Prisma.DbNull;
  return filter as Prisma.InputJsonValue;
}

const pairConflict = () => conflict('This source already has a route to this destination; change that route instead');

export function listRoutes(query: ListRoutesQuery = {}): Promise<RouteView[]> {
  return db().route.findMany({
    where: { sourceId: query.sourceId, destinationId: query.destinationId },
    select: ROUTE_SELECT,
    orderBy: { createdAt: 'asc' },
  });
}

/** The route, or a 404 (also for ids that are not UUIDs). */
export async function getRouteOrThrow(id: string): Promise<RouteView> {
  if (!isUuid(id)) throw notFound('Route');
  const route = await db().route.findUnique({ where: { id }, select: ROUTE_SELECT });
  if (!route) throw notFound('Route');
  return route;
}

export async function createRoute(input: CreateRouteInput, actor: Principal, ip?: string | null): Promise<RouteView> {
  if (input.transform) await assertTransformCompiles(input.transform);
  try {
    return await db().$transaction(async (tx) => {
      const [source, destination] = await Promise.all([
        tx.source.findUnique({ where: { id: input.sourceId }, select: { id: true } }),
        tx.destination.findUnique({ where: { id: input.destinationId }, select: { id: true } }),
      ]);
      if (!source) throw notFound('Source');
      if (!destination) throw notFound('Destination');
      const route = await tx.route.create({
        data: {
          sourceId: input.sourceId,
          destinationId: input.destinationId,
          eventTypes: input.eventTypes ?? [],
          filter: filterInput(input.filter),
          transform: input.transform ?? null,
          enabled: input.enabled,
        },
        select: ROUTE_SELECT,
      });
      await recordAudit(actor, { action: 'route.create', targetType: 'route', targetId: route.id, after: auditCopy(route), ip }, tx);
      await notifyConfigChanged(tx);
      return route;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw pairConflict();
    throw error;
  }
}

export async function updateRoute(id: string, input: UpdateRouteInput, actor: Principal, ip?: string | null): Promise<RouteView> {
  if (!isUuid(id)) throw notFound('Route');
  if (input.transform) await assertTransformCompiles(input.transform);
  return db().$transaction(async (tx) => {
    const before = await tx.route.findUnique({ where: { id }, select: ROUTE_SELECT });
    if (!before) throw notFound('Route');
    const after = await tx.route.update({
      where: { id },
      data: { eventTypes: input.eventTypes, filter: filterInput(input.filter), transform: input.transform, enabled: input.enabled },
      select: ROUTE_SELECT,
    });
    await recordAudit(actor, { action: 'route.update', targetType: 'route', targetId: id, before: auditCopy(before), after: auditCopy(after), ip }, tx);
    await notifyConfigChanged(tx);
    return after;
  });
}

export async function deleteRoute(id: string, actor: Principal, ip?: string | null): Promise<void> {
  if (!isUuid(id)) throw notFound('Route');
  await db().$transaction(async (tx) => {
    const before = await tx.route.findUnique({ where: { id }, select: ROUTE_SELECT });
    if (!before) throw notFound('Route');
    await tx.route.delete({ where: { id } });
    await recordAudit(actor, { action: 'route.delete', targetType: 'route', targetId: id, before: auditCopy(before), ip }, tx);
    await notifyConfigChanged(tx);
  });
}
