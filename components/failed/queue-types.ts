/** What the failed queue shows and the server actions it calls (app/(dashboard)/failed/actions.ts). */
import type { ActionResult } from '@/lib/http/action-result';

export interface GroupKey {
  destinationId: string;
  errorKind: string;
  statusCode: number | null;
  messagePrefix: string | null;
}

export interface GroupJson {
  key: GroupKey;
  destination: { id: string; name: string; status: string };
  count: number;
  sourceCount: number;
  latestAt: string;
  firstAt: string;
  sampleError: string | null;
}

export interface QueueFilter {
  sourceId?: string;
  destinationId?: string;
  from?: string;
  to?: string;
}

export interface GroupDelivery {
  id: string;
  eventId: string;
  eventDedupKey: string | null;
  eventType: string | null;
  source: { id: string; name: string };
  createdAt: string;
  failedAt: string;
  attemptCount: number;
  lastError: string | null;
  lastStatusCode: number | null;
  replayOfId: string | null;
}

export interface QueueActions {
  list: (input: { key: GroupKey; filter: QueueFilter; cursor?: string }) => Promise<ActionResult<{ data: GroupDelivery[]; nextCursor: string | null }>>;
  count: (input: { filter: QueueFilter }) => Promise<ActionResult<{ count: number }>>;
  start: (input: { filter: QueueFilter; ratePerSecond: number }) => Promise<ActionResult<{ id: string; count: number }>>;
  replaySelected: (input: {
    deliveryIds: string[];
  }) => Promise<
    ActionResult<{ replayed: { deliveryId: string; newDeliveryId: string; eventId: string }[]; skipped: { deliveryId: string; reason: string }[] }>
  >;
  cancel: (input: { id: string }) => Promise<ActionResult<{ status: string; cancelledDeliveries: number }>>;
  replayGroup: (input: { key: GroupKey; filter: QueueFilter }) => Promise<
    ActionResult<{
      replayed: { deliveryId: string; newDeliveryId: string; eventId: string }[];
      skipped: { deliveryId: string; reason: string }[];
      remaining: boolean;
    }>
  >;
  outcome: (input: { deliveryIds: string[] }) => Promise<ActionResult<{ succeeded: number; failed: number; waiting: number; cancelled: number }>>;
}

/** A group's identity on the page (React keys, selection). */
export const groupId = (key: GroupKey) => `${key.destinationId}|${key.errorKind}|${key.statusCode ?? ''}|${key.messagePrefix ?? ''}`;
