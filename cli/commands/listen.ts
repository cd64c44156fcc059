/**
 * `hookyard listen --source SLUG --forward URL`: a source's new events, each sent again to a local
 * URL (cli/forward.ts) as the provider sent it, one at a time and in the stream's order, with one
 * line per event on stdout. The stream (cli/event-stream.ts) resumes after the last event handed
 * out, and an event is handed out only once the previous one's forward has finished, so after a
 * reconnect the catch-up starts exactly at the first event not forwarded: none missed, none twice.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { ApiClient } from '../client';
import { ApiError, CliError } from '../errors';
import { BACKOFF, streamEvents } from '../event-stream';
import { type ForwardResult, forwardEvent, forwardUrl, type StoredEvent } from '../forward';
import { onInterrupt } from '../interrupt';
import { printLine, say } from '../output';
import { contextOf } from './context';

interface ListenOptions {
  source: string;
  forward: string;
  pathPrefix?: string;
  lastEventId?: string;
}

function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`Not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`Not an http(s) URL: ${value}`);
  return value;
}

async function sourceIdOf(client: ApiClient, slug: string): Promise<string> {
  const { data } = await client.request<{ data: { id: string; slug: string }[] }>('GET', '/sources');
  const source = data.find((row) => row.slug === slug);
  if (!source) throw new CliError(`No source with the slug "${slug}" (hookyard sources list shows them)`);
  return source.id;
}

/**
 * The event's headers and body. Events are forwarded in order, so a failure that may pass (the
 * server restarting: no answer, or a 5xx) is retried with the stream's backoff rather than
 * skipped; null when the event is gone (deleted by retention meanwhile: 404) or on Ctrl-C.
 */
async function storedEvent(client: ApiClient, id: string, signal: AbortSignal): Promise<StoredEvent | null> {
  for (let delayMs = BACKOFF.initialMs; ; delayMs = Math.min(BACKOFF.maxMs, delayMs * 2)) {
    try {
      return await client.request<StoredEvent>('GET', `/events/${encodeURIComponent(id)}`, { signal });
    } catch (error) {
      if (signal.aborted) return null;
      if (error instanceof ApiError && error.status === 404) {
        say(`event ${id} is gone (404): not forwarded`);
        return null;
      }
      if (error instanceof ApiError && error.status < 500) throw error;
      if (!(error instanceof CliError)) throw error;
      say(`could not fetch event ${id}: ${error.message}; retrying in ${delayMs / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}

export interface ListenLine {
  time: string;
  type: string | null;
  id: string;
  status: number | string;
  latencyMs: number;
}

/** `time  type  id  status  latency` */
const humanLine = (line: ListenLine) => `${line.time}  ${line.type || '-'}  ${line.id}  ${line.status}  ${line.latencyMs}ms`;

export function registerListen(program: Command): void {
  program
    .command('listen')
    .description("Forward a source's new events to a local URL, one at a time and in order, until Ctrl-C")
    .requiredOption('--source <slug>', 'the source whose events are forwarded')
    .requiredOption('--forward <url>', "the local URL that receives them (the event's query string is appended)", httpUrl)
    .option('--path-prefix <prefix>', 'put this before the path of --forward (/hooks with http://localhost:3000/stripe: /hooks/stripe)')
    .option('--last-event-id <id>', 'first forward every event of the source accepted after this one')
    .addHelpText(
      'after',
      `
Each event is fetched (GET /api/v1/events/{id}) and sent once with its method, its headers (less
hop-by-hop ones, host and content-length, and secret headers Hookyard stored as [redacted]) and its
body byte for byte. One line per event: received time, type, id, the local status (or ECONNREFUSED,
TIMEOUT after 30 s, …) and the latency; --json prints {time, type, id, status, latencyMs} per line.
A failed local call is reported and not retried; listen goes on. A lost connection to Hookyard is
reported on stderr and resumed after the last forwarded event, so none is missed or sent twice.
Ctrl-C ends it (exit 130).

Examples:
  $ hookyard listen --source stripe-prod --forward http://localhost:3000/api/webhooks/stripe
  $ hookyard listen --source github --forward http://localhost:8080 --path-prefix /hooks
  $ hookyard listen --source stripe-prod --forward http://localhost:3000/webhooks --json | jq .status`,
    )
    .action(async (options: ListenOptions, command: Command) => {
      const context = contextOf(command);
      const client = await context.client();
      const sourceId = await sourceIdOf(client, options.source);
      const interrupt = onInterrupt();
      say(`Forwarding new events of ${options.source} to ${forwardUrl(options.forward, options.pathPrefix, null).toString()}. Ctrl-C stops.`);
      try {
        for await (const streamed of streamEvents({
          credentials: client.credentials,
          query: { sourceId },
          lastEventId: options.lastEventId,
          signal: interrupt.signal,
          notice: say,
        })) {
          const event = await storedEvent(client, streamed.id, interrupt.signal);
          if (interrupt.signal.aborted) break;
          if (!event) continue;
          if (event.body.truncated) say(`warning: the API shows the body of ${event.id} truncated; forwarding what it shows`);
          const result: ForwardResult = await forwardEvent(event, forwardUrl(options.forward, options.pathPrefix, event.query), interrupt.signal);
          if (interrupt.signal.aborted) break;
          const line: ListenLine = { time: event.receivedAt, type: event.eventType, id: event.id, ...result };
          printLine(context.json ? JSON.stringify(line) : humanLine(line));
        }
      } finally {
        interrupt.finish();
      }
    });
}
