/**
 * A test's view of a Server-Sent Events answer: the messages and comment lines as they arrive,
 * parsed as the SSE specification says (fields up to a blank line; lines starting with `:` are
 * comments), over a real HTTP connection.
 */
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: Headers;
  messages: SseMessage[];
  comments: string[];
  /** Resolves once `count` messages have arrived (rejects after `timeoutMs`). */
  waitForMessages(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  waitForComment(text: string, timeoutMs?: number): Promise<void>;
  /** The body text of an answer that was not a stream (an error). */
  text: string;
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const changed = () => waiters.forEach((check) => check());
  const connection: SseConnection = {
    status: response.status,
    headers: response.headers,
    messages,
    comments,
    text: '',
    ended: Promise.resolve(),
    waitForMessages: (count, timeoutMs = 10_000) =>
      until(
        () => messages.length >= count,
        () => messages.slice(0, count),
        timeoutMs,
        `${count} messages (got ${messages.length})`,
      ),
    waitForComment: (text, timeoutMs = 10_000) =>
      until(
        () => comments.includes(text),
        () => undefined,
        timeoutMs,
        `the comment "${text}"`,
      ),
    close: () => abort.abort(),
  };

  function until<T>(done: () => boolean, value: () => T, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(value());
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }

  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    connection.text = await response.text();
    return connection;
  }

  connection.ended = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    let current: { id?: string; event?: string; data: string[] } = { data: [] };
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.data.length > 0) messages.push({ id: current.id, event: current.event ?? 'message', data: current.data.join('\n') });
            current = { data: [] };
          } else if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
          } else {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') current.data.push(value);
            else if (field === 'id') current.id = value;
            else if (field === 'event') current.event = value;
          }
          changed();
        }
      }
    } catch {
      // closed by the test, or by the server
    }
  })();
  return connection;
}
