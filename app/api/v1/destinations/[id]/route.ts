import type { z } from 'zod';
import { updateDestinationSchema } from '@/lib/destinations/destinations.schema';
import { disableDestination, getDestinationOrThrow, updateDestination, viewOptionsFor } from '@/lib/destinations/manage-destinations';
import { apiRoute } from '@/lib/api/api-route';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>({ role: 'VIEWER' }, async ({ principal, params }) =>
  getDestinationOrThrow(params.id, viewOptionsFor(principal)),
);

export const PATCH = apiRoute<z.infer<typeof updateDestinationSchema>, undefined, Params>(
  { role: 'ADMIN', body: updateDestinationSchema },
  async ({ body, principal, ip, params }) => updateDestination(params.id, body, principal, ip),
);

/** Disables the destination (no new deliveries); POST …/resume re-enables it. */
export const DELETE = apiRoute<undefined, undefined, Params>({ role: 'ADMIN' }, async ({ principal, ip, params }) =>
  disableDestination(params.id, principal, ip),
);
