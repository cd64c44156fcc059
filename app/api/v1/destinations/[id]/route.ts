import type { z } from 'zod';
import { updateDestinationSchema } from '@/lib/destinations/destinations.schema';
import { disableDestination, getDestinationOrThrow, updateDestination, viewOptionsFor } from '@/lib/destinations/manage-destinations';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>(operations.getDestination, async ({ principal, params }) =>
  getDestinationOrThrow(params.id, viewOptionsFor(principal)),
);

export const PATCH = apiRoute<z.infer<typeof updateDestinationSchema>, undefined, Params>(
  operations.updateDestination,
  async ({ body, principal, ip, params }) => updateDestination(params.id, body, principal, ip),
);

/** Disables the destination (no new deliveries); POST …/resume re-enables it. */
export const DELETE = apiRoute<undefined, undefined, Params>(operations.disableDestination, async ({ principal, ip, params }) =>
  disableDestination(params.id, principal, ip),
);
