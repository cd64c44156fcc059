import { getAlertOrThrow } from '@/lib/alerts/get-alert';
import { apiRoute } from '@/lib/api/api-route';

export const GET = apiRoute<undefined, undefined, { id: string }>({ role: 'VIEWER' }, async ({ params }) => getAlertOrThrow(params.id));
