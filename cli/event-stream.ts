/**
 * The event stream (`GET /api/v1/events/stream`, text/event-stream) as an async iterator of the
 * events list's items, that survives what a laptop does to a long connection: a lost connection,
 * a server restart, or silence (no byte, not even the server's 15 s keep-alive comment, for
 * SILENCE_MS: a sleep, or a NAT that dropped the flow). Each time it says so on stderr and
 * reconnects after a backoff (0.5 s doubling to 30 s, back to 0.5 s after a healthy connection)
 * with `Last-Event-ID: <the last id it handed out>`, so the server sends what was accepted
 * meanwhile: nothing missed, nothing twice. An answer that a retry cannot change (401, 403,
 * 404 for an unknown Last-Event-ID, 422 for a bad filter) ends it with that ApiError, and so does
 * a failure of the very first connection (a wrong URL should not hang forever).
 *
 * Parsing is eventsource-parser's (pinned; docs/cli.md says why not the `eventsource` package).
 * The iterator hands out one event at a time and reads the next bytes only when asked, so a slow
 * consumer (listen's forward) is not mistaken for silence: the watchdog runs only while reading.
 */
import { createParser } from 'eventsource-parser';
import type { Credentials } from './config';
import { ApiError, CliError } from './errors';

export interface StreamedEvent {
  id: string;
  /** The event as the events list shows it (the message's `data`, parsed). */
  item: Record<string, unknown>;
}

export interface EventStreamOptions {
  credentials: Credentials;
  /** The events list's filters. */
  query: Record<string, string | undefined>;
  /** Ends the stream (Ctrl-C): the iterator then returns. */
  signal: AbortSignal;
  /** stderr, for "connection lost …" and "reconnected …". */
  notice: (message: string) => void;
  /** Resume after this event id. */
  lastEventId?: string;
  silenceMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** A connection counts as healthy (the backoff starts over) after an event, or after this long open. */
  healthyAfterMs?: number;
}

export const SILENCE_MS = 35_000;
export const BACKOFF = { initialMs: 500, maxMs: 30_000 };
const HEALTHY_AFTER_MS = 10_000;
/** 5xx (a proxy in front of a restarting server), 408 and 429 pass; any other 4xx (401, 403, 404, 422) needs the caller to fix the key, filter or id. */
const isFatal = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;
/** One message's data is one list item, a few KiB; a bigger buffer is not an event stream. */
const MAX_BUFFER = 1024 * 1024;

/** Why a connection ended, in the words of the stderr line. */
class ConnectionLost extends Error {}

const seconds = (ms: number) => `${ms < 1000 ? ms / 1000 : Math.round(ms / 100) / 10}s`;

/** An errno code (ECONNREFUSED, ECONNRESET) says it all; undici's own codes (UND_ERR_SOCKET) less than their message ("other side closed"). */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code && !cause.code.startsWith('UND_ERR')) return cause.code;
  return cause?.message || cause?.code || (error as Error).message;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (clearTimeout(timer), signal.removeEventListener('abort', done), resolve());
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function apiErrorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let error: { code?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  return new ApiError(
    response.status,
    typeof error?.code === 'string' ? error.code : 'http_error',
    typeof error?.message === 'string' ? error.message : response.statusText || 'no message',
  );
}

export async function* streamEvents(options: EventStreamOptions): AsyncGenerator<StreamedEvent> {
  const silenceMs = options.silenceMs ?? SILENCE_MS;
  const backoff = options.backoff ?? BACKOFF;
  const healthyAfterMs = options.healthyAfterMs ?? HEALTHY_AFTER_MS;
  const url = new URL(`${options.credentials.url}/api/v1/events/stream`);
  for (const [name, value] of Object.entries(options.query)) if (value !== undefined) url.searchParams.set(name, value);

  let lastEventId = options.lastEventId;
  let everConnected = false;
  let delayMs = backoff.initialMs;
  let serverRetryMs = 0;

  while (!options.signal.aborted) {
    // One connection: its own abort, for the silence watchdog and for the end of the loop.
    const connection = new AbortController();
    const stop = () => connection.abort();
    options.signal.addEventListener('abort', stop, { once: true });
    const openedAt = Date.now();
    let healthy = false;
    let lostReason: string;
    try {
      let response: Response;
      // A server that accepts the connection and never answers (stopped, or hung) is silence too.
      let unanswered = false;
      const answerTimer = setTimeout(() => ((unanswered = true), connection.abort()), silenceMs);
      try {
        response = await fetch(url, {
          headers: {
            authorization: `Bearer ${options.credentials.key}`,
            accept: 'text/event-stream',
            ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
          },
          signal: connection.signal,
          redirect: 'error',
        });
      } catch (error) {
        if (options.signal.aborted) return;
        const reason = unanswered ? `no answer for ${seconds(silenceMs)}` : networkReason(error);
        if (!everConnected) throw new CliError(`Cannot reach ${options.credentials.url}: ${reason}`);
        throw new ConnectionLost(reason);
      } finally {
        clearTimeout(answerTimer);
      }
      if (isFatal(response.status)) throw await apiErrorOf(response);
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        throw new ConnectionLost(`the server answered ${response.status}`);
      }
      const type = response.headers.get('content-type') ?? '';
      if (!type.startsWith('text/event-stream') || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new CliError(
          `GET ${url.pathname} answered ${type || 'no content type'}, not text/event-stream: is ${options.credentials.url} a Hookyard with the event stream?`,
        );
      }
      if (!everConnected) options.notice(lastEventId ? `connected; resuming after ${lastEventId}` : 'connected; waiting for new events');
      else options.notice(lastEventId ? `reconnected; resuming after ${lastEventId}` : 'reconnected');
      everConnected = true;

      const queue: StreamedEvent[] = [];
      let malformed: string | null = null;
      const parser = createParser({
        onEvent: (message) => {
          if (message.event !== undefined && message.event !== 'event') return;
          try {
            const item = JSON.parse(message.data) as Record<string, unknown>;
            const id = message.id ?? (typeof item.id === 'string' ? item.id : undefined);
            if (id) queue.push({ id, item });
          } catch {
            malformed = message.data.slice(0, 80);
          }
        },
        onRetry: (ms) => (serverRetryMs = ms),
        maxBufferSize: MAX_BUFFER,
      });
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          let timer: NodeJS.Timeout | undefined;
          const silence = new Promise<'silent'>((resolve) => (timer = setTimeout(() => resolve('silent'), silenceMs)));
          let chunk: ReadableStreamReadResult<Uint8Array> | 'silent';
          try {
            chunk = await Promise.race([reader.read(), silence]);
          } catch (error) {
            if (options.signal.aborted) return;
            throw new ConnectionLost(networkReason(error));
          } finally {
            clearTimeout(timer);
          }
          if (chunk === 'silent') throw new ConnectionLost(`nothing received for ${seconds(silenceMs)}`);
          if (chunk.done) throw new ConnectionLost('the server ended the stream');
          parser.feed(decoder.decode(chunk.value, { stream: true }));
          if (malformed !== null) throw new CliError(`The event stream sent a message that is not JSON: ${malformed}`);
          if (!healthy && Date.now() - openedAt >= healthyAfterMs) healthy = true;
          while (queue.length > 0) {
            const next = queue.shift()!;
            lastEventId = next.id;
            healthy = true;
            yield next;
            if (options.signal.aborted) return;
          }
        }
      } finally {
        reader.cancel().catch(() => undefined);
      }
    } catch (error) {
      if (!(error instanceof ConnectionLost)) throw error;
      lostReason = error.message;
    } finally {
      options.signal.removeEventListener('abort', stop);
      connection.abort();
    }
    if (options.signal.aborted) return;
    if (healthy || Date.now() - openedAt >= healthyAfterMs) delayMs = backoff.initialMs;
    const wait = Math.min(backoff.maxMs, Math.max(delayMs, serverRetryMs));
    options.notice(`connection lost: ${lostReason}; reconnecting in ${seconds(wait)}`);
    await sleep(wait, options.signal);
    delayMs = Math.min(backoff.maxMs, delayMs * 2);
  }
}
