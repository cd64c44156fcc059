import { accepted, apiRoute } from '@/lib/api/api-route';
import { operations } from '@/lib/api/operations';
import { probeDestinationNow } from '@/lib/worker/probe-now';

/** An open circuit probes at once instead of after its cool-down (SUPPORT and ADMIN, audited). */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.probeDestination, async ({ principal, ip, params }) =>
  accepted(await probeDestinationNow(params.id, principal, ip)),
);
