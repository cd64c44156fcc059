import { createDestination, listDestinations, viewOptionsFor } from '@/lib/destinations/manage-destinations';
import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';

export const GET = apiRoute(operations.listDestinations, async ({ principal }) => ({ data: await listDestinations(viewOptionsFor(principal)) }));

/** `signingSecret` is in this answer only; later answers show its hint. */
export const POST = apiRoute(operations.createDestination, async ({ body, principal, ip }) => created(await createDestination(body, principal, ip)));
