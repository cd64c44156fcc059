import { operations } from '@/lib/api/operations';
import { apiRoute } from '@/lib/api/api-route';
import { openEventStream } from '@/lib/events/stream/open-event-stream';

/** Server-Sent Events of newly accepted events, with the list's filters and Last-Event-ID; lib/events/stream, docs/event-stream.md. */
export const GET = apiRoute(operations.streamEvents, async ({ query, request }) =>
  openEventStream({ filter: query, lastEventId: request.headers.get('last-event-id'), signal: request.signal }),
);

// A stream stays open: never cached, never prerendered.
export const dynamic = 'force-dynamic';
