/**
 * Steady ingest load with a ledger: a few loops POST small JSON webhooks, each with a unique
 * nonce, and every answer is recorded with when it was sent and when it came back. The ledger
 * is what the fault tests hold Hookyard to: every webhook that got a 2xx must reach the sink.
 */
import { randomUUID } from 'node:crypto';

export interface Outcome {
  sentAt: number;
  doneAt: number;
  /** HTTP status, or 0 when the connection failed (refused, reset). */
  status: number;
  retryAfter: string | null;
  nonce: string;
  error?: string;
}

export interface Load {
  outcomes: Outcome[];
  /** Nonces of every webhook answered 2xx. */
  acknowledged(): string[];
  /** The longest time without a 2xx answer, among answers that came back between `from` and `to`. */
  longestOutage(from: number, to: number): number;
  stop(): Promise<void>;
}

export function startLoad(url: string, options: { loops?: number; pauseMs?: number } = {}): Load {
  const outcomes: Outcome[] = [];
  let running = true;
  const loop = async () => {
    while (running) {
      const nonce = randomUUID();
      const sentAt = Date.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'fault.test', nonce }),
          signal: AbortSignal.timeout(15_000),
        });
        await response.arrayBuffer();
        outcomes.push({ sentAt, doneAt: Date.now(), status: response.status, retryAfter: response.headers.get('retry-after'), nonce });
      } catch (error) {
        outcomes.push({
          sentAt,
          doneAt: Date.now(),
          status: 0,
          retryAfter: null,
          nonce,
          error: (error as Error).cause ? String((error as Error).cause) : String(error),
        });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, options.pauseMs ?? 25));
    }
  };
  const loops = Array.from({ length: options.loops ?? 4 }, loop);
  return {
    outcomes,
    acknowledged: () => outcomes.filter((outcome) => outcome.status >= 200 && outcome.status < 300).map((outcome) => outcome.nonce),
    longestOutage(from, to) {
      const successes = outcomes.filter((outcome) => outcome.status >= 200 && outcome.status < 300).map((outcome) => outcome.doneAt);
      successes.sort((a, b) => a - b);
      let longest = 0;
      let previous = successes.filter((at) => at <= from).at(-1) ?? from;
      for (const at of successes) {
        if (at <= from) continue;
        longest = Math.max(longest, at - previous);
        previous = at;
        if (at > to) break;
      }
      return Math.max(longest, successes.some((at) => at > from) ? 0 : to - from);
    },
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
