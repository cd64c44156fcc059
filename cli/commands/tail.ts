/**
 * `hookyard events tail [filters]`: every newly accepted event that matches the events list's
 * filters, one line each (or with --json the stream's data, one JSON object per line: NDJSON),
 * until Ctrl-C (exit 130). Reconnection and catch-up are cli/event-stream.ts's.
 */
import type { Command } from 'commander';
import { streamEvents } from '../event-stream';
import { onInterrupt } from '../interrupt';
import { printLine, say } from '../output';
import { addFilterOptions, contextOf, filterQuery, type FilterOptions } from './context';

interface StreamItem {
  id: string;
  receivedAt: string;
  source?: { slug?: string };
  eventType?: string | null;
  dedupKey?: string | null;
  verification?: string;
  deliveries?: { byStatus?: Record<string, number> };
}

/** `time  source  type  id (provider id)  verification  status:count …` */
export function tailLine(item: StreamItem): string {
  const badges = Object.entries(item.deliveries?.byStatus ?? {})
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');
  return [
    item.receivedAt,
    item.source?.slug ?? '-',
    item.eventType || '-',
    item.dedupKey ? `${item.id} (${item.dedupKey})` : item.id,
    item.verification ?? '-',
    badges || 'no-deliveries',
  ].join('  ');
}

export function registerTail(events: Command): void {
  addFilterOptions(events.command('tail').description('Print each new event as it is accepted, until Ctrl-C'), 'events')
    .option('--last-event-id <id>', 'first send every matching event accepted after this one')
    .addHelpText(
      'after',
      `
One line per event: received time, source slug, type, id (and the provider's event id), verification,
deliveries by status. --json prints the stream's data instead: one JSON object per line (NDJSON),
the events list item. A lost connection, a server restart or 35 s of silence is reported on stderr and
followed by a reconnection that resumes after the last event shown (nothing missed, nothing twice).
Ctrl-C ends it (exit 130); a refused key, a bad filter or an unknown --last-event-id exits 1.

Examples:
  $ hookyard events tail
  $ hookyard events tail --source-id 6f1c… --event-type 'order.*'
  $ hookyard events tail --status failed
  $ hookyard events tail --json | jq -r .eventType`,
    )
    .action(async (options: FilterOptions & { lastEventId?: string }, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const interrupt = onInterrupt();
      try {
        for await (const event of streamEvents({
          credentials: client.credentials,
          query: filterQuery(options),
          lastEventId: options.lastEventId,
          signal: interrupt.signal,
          notice: say,
        })) {
          printLine(context.json ? JSON.stringify(event.item) : tailLine(event.item as unknown as StreamItem));
        }
      } finally {
        interrupt.finish();
      }
    });
}
