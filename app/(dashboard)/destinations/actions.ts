'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { serverAction } from '@/app/_server/server-action';
import { destinationAlertSettingsSchema } from '@/lib/alerts/alert-settings';
import { createDestinationSchema, updateDestinationSchema } from '@/lib/destinations/destinations.schema';
import { createDestination, pauseDestination, resumeDestination, revealDestinationUrl, updateDestination } from '@/lib/destinations/manage-destinations';
import { listRecentEvents, recentEventsSchema } from '@/lib/events/recent-events';
import { createRoute, deleteRoute, updateRoute } from '@/lib/routes/manage-routes';
import { previewRoute, routePreviewSchema } from '@/lib/routes/route-preview';
import { createRouteSchema, updateRouteSchema } from '@/lib/routes/routes.schema';
import { revealSecret, revokeSecret } from '@/lib/secrets/manage-secrets';
import { rotateDestinationSecret } from '@/lib/secrets/rotate-secret';
import { rotateSecretSchema } from '@/lib/secrets/secrets.schema';
import { testTransform } from '@/lib/transforms/test-transform';
import { testTransformSchema } from '@/lib/transforms/transforms.schema';
import { sendTestDelivery } from '@/lib/worker/send-test-delivery';

function refresh(destinationId?: string, sourceId?: string) {
  revalidatePath('/destinations');
  if (destinationId) revalidatePath(`/destinations/${destinationId}`);
  if (sourceId) revalidatePath(`/sources/${sourceId}`);
}

/** Creates the destination; its signing secret is in this answer only. */
export const createDestinationAction = serverAction('ADMIN', createDestinationSchema, async (input, { principal, ip }) => {
  const destination = await createDestination(input, principal, ip);
  refresh(destination.id);
  return { id: destination.id, name: destination.name, signingSecret: destination.signingSecret };
});

export const updateDestinationAction = serverAction(
  'ADMIN',
  z.object({ id: z.uuid(), changes: updateDestinationSchema }),
  async ({ id, changes }, { principal, ip }) => {
    const destination = await updateDestination(id, changes, principal, ip);
    refresh(id);
    return { id: destination.id };
  },
);

/** One rule of the destination's alertSettings (failure rate, backlog age), audited as a destination.update. */
export const updateDestinationAlertSettingsAction = serverAction(
  'ADMIN',
  z.object({ id: z.uuid(), alertSettings: destinationAlertSettingsSchema }),
  async ({ id, alertSettings }, { principal, ip }) => {
    const destination = await updateDestination(id, { alertSettings }, principal, ip);
    refresh(id);
    return { id: destination.id, alertSettings: destination.alertSettings };
  },
);

export const pauseDestinationAction = serverAction('ADMIN', z.object({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  const destination = await pauseDestination(id, principal, ip);
  refresh(id);
  return { id, status: destination.status };
});

export const resumeDestinationAction = serverAction('ADMIN', z.object({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  const destination = await resumeDestination(id, principal, ip);
  refresh(id);
  const { requeued } = destination as { requeued?: unknown };
  return { id, status: destination.status, requeued: typeof requeued === 'number' ? requeued : 0 };
});

/** A new signing secret; the old ones keep signing for the grace period. The value is in this answer only. */
export const rotateSigningSecretAction = serverAction(
  'ADMIN',
  rotateSecretSchema.extend({ ownerId: z.uuid() }),
  async ({ ownerId, ...input }, { principal, ip }) => {
    const secret = await rotateDestinationSecret(ownerId, input, principal, ip);
    refresh(ownerId);
    return { id: secret.id, hint: secret.hint, value: secret.value, expiring: secret.expiring.length };
  },
);

/** ADMIN only, audited as secret.reveal before the value leaves the server. */
export const revealSigningSecretAction = serverAction('ADMIN', z.object({ id: z.uuid() }), async ({ id }, { principal, ip }) => {
  const { value } = await revealSecret(id, principal, ip);
  return { id, value };
});

/** A broker URL with its password: ADMIN only (checked here, on the server), audited as destination.reveal_url first. */
export const revealDestinationUrlAction = serverAction('ADMIN', z.object({ id: z.uuid() }), async ({ id }, { principal, ip }) =>
  revealDestinationUrl(id, principal, ip),
);

export const revokeSigningSecretAction = serverAction('ADMIN', z.object({ id: z.uuid(), ownerId: z.uuid() }), async ({ id, ownerId }, { principal, ip }) => {
  const secret = await revokeSecret(id, principal, ip);
  refresh(ownerId);
  return { id: secret.id, status: secret.status };
});

export const createRouteAction = serverAction('ADMIN', createRouteSchema, async (input, { principal, ip }) => {
  const route = await createRoute(input, principal, ip);
  refresh(route.destinationId, route.sourceId);
  return { id: route.id };
});

export const updateRouteAction = serverAction('ADMIN', z.object({ id: z.uuid(), changes: updateRouteSchema }), async ({ id, changes }, { principal, ip }) => {
  const route = await updateRoute(id, changes, principal, ip);
  refresh(route.destinationId, route.sourceId);
  return { id: route.id };
});

export const deleteRouteAction = serverAction(
  'ADMIN',
  z.object({ id: z.uuid(), destinationId: z.uuid(), sourceId: z.uuid() }),
  async ({ id, destinationId, sourceId }, { principal, ip }) => {
    await deleteRoute(id, principal, ip);
    refresh(destinationId, sourceId);
    return { id };
  },
);

/** Which of the source's last 50 events the (unsaved) rule would match; reads only. */
export const previewRouteAction = serverAction('ADMIN', routePreviewSchema, async (input) => previewRoute(input));

/** The source's newest events, for the route editor's "Try it on a recent event" picker; reads only. */
export const recentEventsAction = serverAction('ADMIN', recentEventsSchema, async ({ sourceId }) => listRecentEvents(sourceId));

/** Runs an (unsaved) transform on a stored event in the sandbox pool; sends and stores nothing. ADMIN, as for route writes and the API. */
export const testTransformAction = serverAction('ADMIN', testTransformSchema, async (input) => testTransform(input));

/** A signed test request to the destination, sent now; SUPPORT and ADMIN, audited. */
export const sendTestDeliveryAction = serverAction('SUPPORT', z.object({ destinationId: z.uuid() }), async ({ destinationId }, { principal, ip }) =>
  sendTestDelivery(destinationId, principal, ip),
);
