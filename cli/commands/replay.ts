/**
 * `hookyard replay`: one event (POST /events/{id}/replay), or every delivery a filter matches
 * (POST /replays). A filter replay can be counted first with --dry-run; a real one is followed
 * with GET /replays/{id} once a second, its progress on stderr, and Ctrl-C cancels it on the
 * server (POST /replays/{id}/cancel) before exiting 130, so no replay keeps running unseen.
 */
import type { Command } from 'commander';
import type { ApiClient } from '../client';
import { CliError, EXIT_INTERRUPTED, EXIT_USAGE } from '../errors';
import { printFields, printJson, printLine, say } from '../output';
import { addFilterOptions, contextOf, filterQuery, type FilterOptions, positiveInteger } from './context';

interface ReplayProgress {
  id: string;
  status: string;
  total: number;
  processed: number;
  deliveries: Record<string, number>;
}

const FINISHED = new Set(['completed', 'cancelled', 'failed']);
const POLL_MS = 1000;

function bar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} (${Math.round(ratio * 100)}%)`;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

async function follow(client: ApiClient, id: string, total: number): Promise<ReplayProgress> {
  const interrupted = new AbortController();
  const onSigint = () => interrupted.abort();
  process.on('SIGINT', onSigint);
  const tty = process.stderr.isTTY;
  let last = '';
  try {
    for (;;) {
      let progress: ReplayProgress | null = null;
      try {
        progress = await client.request<ReplayProgress>('GET', `/replays/${id}`, { signal: interrupted.signal });
      } catch (error) {
        if (!interrupted.signal.aborted) {
          say(`Lost track of replay ${id}; it keeps running on the server (GET /api/v1/replays/${id}, or POST …/cancel).`);
          throw error;
        }
      }
      if (interrupted.signal.aborted) {
        if (tty) process.stderr.write('\n');
        say(`Interrupted: cancelling replay ${id}…`);
        const cancelled = await client.request<ReplayProgress>('POST', `/replays/${id}/cancel`).catch((error: unknown) => {
          throw new CliError(`Could not cancel replay ${id}: ${(error as Error).message}`, EXIT_INTERRUPTED);
        });
        throw new CliError(`Replay ${id} cancelled after ${cancelled.processed}/${cancelled.total ?? total} events.`, EXIT_INTERRUPTED);
      }
      const line = `${bar(progress!.processed, progress!.total || total)} ${progress!.status}`;
      if (tty) process.stderr.write(`\r${line}`);
      else if (line !== last) say(line);
      last = line;
      if (FINISHED.has(progress!.status)) {
        if (tty) process.stderr.write('\n');
        return progress!;
      }
      await sleep(POLL_MS, interrupted.signal);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}

type ReplayOptions = FilterOptions & { dryRun?: boolean; everything?: boolean; rate?: number };

export function registerReplay(program: Command): void {
  addFilterOptions(
    program
      .command('replay')
      .description('Replay one event to its destinations, or every finished delivery a filter matches')
      .argument('[event-id]', 'replay this one event (to every routed destination, or --destination-id)'),
    'deliveries',
  )
    .option('--everything', 'a filter replay with no filter field: every finished delivery (the API refuses an empty filter otherwise)')
    .option('--dry-run', 'only count what a filter replay would re-send')
    .option('--rate <n>', 'new deliveries per second for a filter replay (default 50)', positiveInteger)
    .addHelpText(
      'after',
      `
One event (202: new deliveries are queued):
  $ hookyard replay 0193…
  $ hookyard replay 0193… --destination-id 5b2e…

A filter (the deliveries list's filters; only succeeded, failed or cancelled deliveries):
  $ hookyard replay --status failed --destination-id 5b2e… --dry-run
  $ hookyard replay --status failed --from 2026-12-01T00:00:00Z --rate 20
Progress is shown on stderr; Ctrl-C cancels the replay on the server and exits 130.`,
    )
    .action(async (eventId: string | undefined, options: ReplayOptions, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      if (eventId !== undefined) {
        const others = Object.entries({ ...filterQuery(options), destinationId: undefined }).filter(([, value]) => value !== undefined);
        if (others.length > 0 || options.dryRun || options.everything || options.rate) {
          throw new CliError(
            'With an event id, only --destination-id applies (filters, --dry-run, --everything and --rate are for a filter replay)',
            EXIT_USAGE,
          );
        }
        const answer = await client.request<{ deliveries: string[]; skipped: { destinationId: string; reason: string }[] }>(
          'POST',
          `/events/${encodeURIComponent(eventId)}/replay`,
          { body: options.destinationId ? { destinationId: options.destinationId } : {} },
        );
        if (context.json) return printJson(answer);
        printLine(`${answer.deliveries.length} deliveries queued: ${answer.deliveries.join(' ') || '-'}`);
        for (const skip of answer.skipped) say(`skipped ${skip.destinationId}: ${skip.reason}`);
        return;
      }

      const filter: Record<string, unknown> = Object.fromEntries(Object.entries(filterQuery(options)).filter(([, value]) => value !== undefined));
      if (options.everything) filter.all = true;
      const body = { filter, ...(options.dryRun ? { dryRun: true } : {}), ...(options.rate ? { ratePerSecond: options.rate } : {}) };
      if (options.dryRun) {
        const answer = await client.request<{ count: number }>('POST', '/replays', { body });
        if (context.json) return printJson(answer);
        printLine(`${answer.count} deliveries would be replayed`);
        return;
      }
      // Ctrl-C while the replay is being created must not leave it running unseen.
      let interruptedEarly = false;
      const onEarlySigint = () => (interruptedEarly = true);
      process.on('SIGINT', onEarlySigint);
      let started: { id: string; count: number };
      try {
        started = await client.request<{ id: string; count: number }>('POST', '/replays', { body });
      } finally {
        process.off('SIGINT', onEarlySigint);
      }
      if (interruptedEarly) {
        await client.request('POST', `/replays/${started.id}/cancel`);
        throw new CliError(`Interrupted: replay ${started.id} cancelled before it started.`, EXIT_INTERRUPTED);
      }
      say(`Replay ${started.id} started: ${started.count} deliveries to re-send. Ctrl-C cancels it.`);
      const finished = await follow(client, started.id, started.count);
      if (context.json) return printJson(finished);
      printFields([
        ['replay', finished.id],
        ['status', finished.status],
        ['processed', `${finished.processed}/${finished.total}`],
        [
          'deliveries',
          Object.entries(finished.deliveries)
            .map(([status, count]) => `${status}:${count}`)
            .join(' '),
        ],
      ]);
      if (finished.status !== 'completed') throw new CliError(`Replay ${finished.id} ended ${finished.status}`);
    });
}
