import type { z } from 'zod';
import { apiRoute } from '@/lib/api/api-route';
import { updateChannelSchema } from '@/lib/notifications/channels.schema';
import { deleteChannel, getChannelOrThrow, updateChannel } from '@/lib/notifications/manage-channels';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>({ role: 'ADMIN' }, async ({ params }) => getChannelOrThrow(params.id));

export const PATCH = apiRoute<z.infer<typeof updateChannelSchema>, undefined, Params>(
  { role: 'ADMIN', body: updateChannelSchema },
  async ({ body, principal, ip, params }) => updateChannel(params.id, body, principal, ip),
);

/** Deletes the channel with its history; PATCH `{"enabled": false}` keeps it. */
export const DELETE = apiRoute<undefined, undefined, Params>({ role: 'ADMIN' }, async ({ principal, ip, params }) => deleteChannel(params.id, principal, ip));
