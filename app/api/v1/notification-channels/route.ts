import { operations } from '@/lib/api/operations';
import { apiRoute, created } from '@/lib/api/api-route';
import { createChannel, listChannels } from '@/lib/notifications/manage-channels';

/** Admins only: a channel's configuration is theirs. URLs appear as hints only. */
export const GET = apiRoute(operations.listChannels, async () => ({ data: await listChannels() }));

/** A webhook channel's `signingSecret` is in this answer only. */
export const POST = apiRoute(operations.createChannel, async ({ body, principal, ip }) => created(await createChannel(body, principal, ip)));
