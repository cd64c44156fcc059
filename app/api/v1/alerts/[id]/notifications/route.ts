import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { listAlertNotifications } from '@/lib/notifications/notification-history';

/** The alert's notifications, oldest first: channel (name and type, no URL), event, status, attempts, last error, sent at. */
export const GET = apiRoute<undefined, undefined, { id: string }>(operations.listAlertNotifications, async ({ params }) => ({
  data: await listAlertNotifications(params.id),
}));
