import type { z } from 'zod';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { requestPublicBaseUrl } from '@/lib/http/public-url';
import { disableSource, getSourceOrThrow, updateSource } from '@/lib/sources/manage-sources';
import { updateSourceSchema } from '@/lib/sources/sources.schema';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>(operations.getSource, async ({ request, params }) =>
  getSourceOrThrow(params.id, requestPublicBaseUrl(request)),
);

export const PATCH = apiRoute<z.infer<typeof updateSourceSchema>, undefined, Params>(
  operations.updateSource,
  async ({ request, body, principal, ip, params }) => updateSource(params.id, body, principal, requestPublicBaseUrl(request), ip),
);

/** Disables the source (its events and secrets stay); PATCH {"status": "active"} re-enables it. */
export const DELETE = apiRoute<undefined, undefined, Params>(operations.disableSource, async ({ request, principal, ip, params }) =>
  disableSource(params.id, principal, requestPublicBaseUrl(request), ip),
);
