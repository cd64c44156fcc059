import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { sendTestMessage } from '@/lib/notifications/test-channel';

/** Sends a test message now → `{"delivered", "status", "errorKind", "error", "durationMs", "notificationId"}`. Audited. */
export const POST = apiRoute<undefined, undefined, { id: string }>(operations.testChannel, async ({ principal, ip, params }) =>
  sendTestMessage(params.id, principal, ip),
);
