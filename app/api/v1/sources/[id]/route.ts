import type { z } from 'zod';
import { apiRoute } from '@/lib/http/api-route';
import { disableSource, getSourceOrThrow, ingestBaseUrl, updateSource } from '@/lib/sources/manage-sources';
import { updateSourceSchema } from '@/lib/sources/sources.schema';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>({ role: 'VIEWER' }, async ({ request, params }) =>
  getSourceOrThrow(params.id, ingestBaseUrl(request)),
);

export const PATCH = apiRoute<z.infer<typeof updateSourceSchema>, undefined, Params>(
  { role: 'ADMIN', body: updateSourceSchema },
  async ({ request, body, principal, ip, params }) => updateSource(params.id, body, principal, ingestBaseUrl(request), ip),
);

/** Disables the source (its events and secrets stay); PATCH {"status": "active"} re-enables it. */
export const DELETE = apiRoute<undefined, undefined, Params>({ role: 'ADMIN' }, async ({ request, principal, ip, params }) =>
  disableSource(params.id, principal, ingestBaseUrl(request), ip),
);
