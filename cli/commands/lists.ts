/**
 * `sources list`, `destinations list`, `events list` and `events get`: GET on the public API,
 * a table (or key/value lines) on stdout, or with --json the API's answer as it came.
 */
import type { Command } from 'commander';
import { printFields, printJson, printTable, say } from '../output';
import { addFilterOptions, contextOf, filterQuery, type FilterOptions, positiveInteger } from './context';

interface Source {
  id: string;
  name: string;
  slug: string;
  provider: string;
  status: string;
  ingestUrl?: string;
}

interface Destination {
  id: string;
  name: string;
  status: string;
  circuitState?: string;
  url?: string;
}

interface EventItem {
  id: string;
  source: { slug: string };
  eventType: string | null;
  receivedAt: string;
  size: number;
  verification: string;
  deliveries: { total: number; byStatus: Record<string, number> };
}

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

const byStatus = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([status, count]) => `${status}:${count}`)
    .join(' ');

/** Returns the `events` command, for `events tail` (commands/tail.ts). */
export function registerLists(program: Command): Command {
  const sources = program.command('sources').description('Sources: where providers send webhooks');
  sources
    .command('list')
    .description('List the sources')
    .addHelpText('after', "\nExamples:\n  $ hookyard sources list\n  $ hookyard sources list --json | jq -r '.data[].slug'")
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const answer = await (await context.client()).request<{ data: Source[] }>('GET', '/sources');
      if (context.json) return printJson(answer);
      printTable(answer.data, [
        ['id', (row) => row.id],
        ['slug', (row) => row.slug],
        ['name', (row) => row.name],
        ['provider', (row) => row.provider],
        ['status', (row) => row.status],
        ['ingest url', (row) => row.ingestUrl],
      ]);
    });

  const destinations = program.command('destinations').description('Destinations: where events are delivered');
  destinations
    .command('list')
    .description('List the destinations')
    .addHelpText('after', '\nExamples:\n  $ hookyard destinations list\n  $ hookyard destinations list --json')
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command);
      const answer = await (await context.client()).request<{ data: Destination[] }>('GET', '/destinations');
      if (context.json) return printJson(answer);
      printTable(answer.data, [
        ['id', (row) => row.id],
        ['name', (row) => row.name],
        ['status', (row) => row.status],
        ['circuit', (row) => row.circuitState],
        ['url', (row) => row.url],
      ]);
    });

  const events = program.command('events').description('Events: what the sources received');
  addFilterOptions(events.command('list').description('List events, newest first'), 'events')
    .option('--limit <n>', 'events per page (1-200, default 50)', positiveInteger)
    .option('--cursor <cursor>', 'start after this cursor (the nextCursor of a previous page)')
    .option('--all', 'follow nextCursor to the last page (with --json: one document with every event)')
    .addHelpText(
      'after',
      `
Examples:
  $ hookyard events list --source-id 6f1c… --status failed
  $ hookyard events list --event-type 'order.*' --from 2026-12-01T00:00:00Z --limit 20
  $ hookyard events list --q data.object.id=pi_123 --json
  $ hookyard events list --status failed --all --json | jq '.data | length'`,
    )
    .action(async (options: FilterOptions & { limit?: number; cursor?: string; all?: boolean }, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const query = { ...filterQuery(options), limit: options.limit };
      let page = await client.request<Page<EventItem>>('GET', '/events', { query: { ...query, cursor: options.cursor } });
      if (options.all) {
        const data = [...page.data];
        while (page.nextCursor) {
          page = await client.request<Page<EventItem>>('GET', '/events', { query: { ...query, cursor: page.nextCursor } });
          data.push(...page.data);
        }
        page = { ...page, data, nextCursor: null };
      }
      if (context.json) return printJson(page);
      printTable(page.data, [
        ['id', (row) => row.id],
        ['received', (row) => row.receivedAt],
        ['source', (row) => row.source.slug],
        ['type', (row) => row.eventType],
        ['size', (row) => row.size],
        ['verification', (row) => row.verification],
        ['deliveries', (row) => byStatus(row.deliveries.byStatus)],
      ]);
      if (page.nextCursor) say(`More events: --cursor ${page.nextCursor} (or --all)`);
    });

  events
    .command('get')
    .description('Show one event: headers, body, verification, deliveries and their attempts')
    .argument('<id>', 'the event id')
    .addHelpText('after', '\nExamples:\n  $ hookyard events get 0193…\n  $ hookyard events get 0193… --json | jq .body')
    .action(async (id: string, _options: unknown, command: Command) => {
      const context = contextOf(command);
      const event = await (await context.client()).request<Record<string, unknown>>('GET', `/events/${encodeURIComponent(id)}`);
      if (context.json) return printJson(event);
      const source = event.source as { slug?: string; name?: string } | undefined;
      printFields([
        ['id', event.id],
        ['source', source?.slug ?? source?.name],
        ['type', event.eventType],
        ['received', event.receivedAt],
        ['verification', event.verification],
        ['content-type', event.contentType],
        ['size', event.size],
      ]);
      const headers = event.headers;
      if (headers && typeof headers === 'object') {
        process.stdout.write('\nHeaders\n');
        for (const [name, value] of Object.entries(headers as Record<string, unknown>)) process.stdout.write(`  ${name}: ${String(value)}\n`);
      }
      if (event.body !== undefined) process.stdout.write(`\nBody\n${typeof event.body === 'string' ? event.body : JSON.stringify(event.body, null, 2)}\n`);
      const deliveries = Array.isArray(event.deliveries) ? (event.deliveries as Record<string, unknown>[]) : [];
      if (deliveries.length > 0) {
        process.stdout.write('\nDeliveries\n');
        printTable(deliveries, [
          ['id', (row) => row.id],
          ['destination', (row) => (row.destination as { name?: string } | undefined)?.name ?? row.destinationId],
          ['status', (row) => row.status],
          ['attempts', (row) => (Array.isArray(row.attempts) ? row.attempts.length : row.attemptCount)],
        ]);
      }
    });
  return events;
}
