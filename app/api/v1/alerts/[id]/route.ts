import { getAlertOrThrow } from '@/lib/alerts/get-alert';
import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';

export const GET = apiRoute<undefined, undefined, { id: string }>(operations.getAlert, async ({ params }) => getAlertOrThrow(params.id));
