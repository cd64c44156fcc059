import type { z } from 'zod';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { updateChannelSchema } from '@/lib/notifications/channels.schema';
import { deleteChannel, getChannelOrThrow, updateChannel } from '@/lib/notifications/manage-channels';

type Params = { id: string };

export const GET = apiRoute<undefined, undefined, Params>(operations.getChannel, async ({ params }) => getChannelOrThrow(params.id));

export const PATCH = apiRoute<z.infer<typeof updateChannelSchema>, undefined, Params>(operations.updateChannel, async ({ body, principal, ip, params }) =>
  updateChannel(params.id, body, principal, ip),
);

/** Deletes the channel with its history; PATCH `{"enabled": false}` keeps it. */
export const DELETE = apiRoute<undefined, undefined, Params>(operations.deleteChannel, async ({ principal, ip, params }) =>
  deleteChannel(params.id, principal, ip),
);
