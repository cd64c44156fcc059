/**
 * Pure pacing of a bulk replay: how many rows a tick may make (a token bucket on the rate, and a
 * window that adapts to the destinations' backlog, like TCP's congestion window), and the
 * progress cursor stored in `replays.cursor`. bulk-replay-runner.ts applies it.
 */
import { isUuid } from '@/lib/db/ids';

/** The first tick's size is a tenth of the rate (at least MIN_WINDOW), then it doubles while the destinations keep up. */
export const MIN_WINDOW = 10;
/** A tick's rows fall due spread over this much time: more than a worker poll (500 ms) before the next tick. */
export const PACE_SECONDS = 0.5;

/**
 * Where a replay is, and how many rows its next tick may create (its window). Stored in
 * `replays.cursor` as base64url JSON: the keyset position (created_at, id) of the last delivery
 * replayed, and the window. The matched set is walked in that order, so a restarted worker
 * resumes exactly there.
 */
export interface ReplayProgress {
  after: { at: Date; id: string } | null;
  window: number;
}

const initialWindow = (rate: number) => Math.min(rate, Math.max(MIN_WINDOW, Math.ceil(rate / 10)));

export function readProgress(cursor: string | null, rate: number): ReplayProgress | null {
  if (!cursor) return { after: null, window: initialWindow(rate) };
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { at?: unknown; id?: unknown; window?: unknown };
    const after = typeof value.at === 'string' && typeof value.id === 'string' ? { at: new Date(value.at), id: value.id } : null;
    if (after && (Number.isNaN(after.at.getTime()) || !isUuid(after.id))) return null;
    const window = typeof value.window === 'number' && value.window >= 1 ? Math.min(rate, Math.floor(value.window)) : initialWindow(rate);
    return { after, window };
  } catch {
    return null;
  }
}

export function writeProgress(progress: ReplayProgress): string {
  return Buffer.from(JSON.stringify({ at: progress.after?.at.toISOString() ?? null, id: progress.after?.id ?? null, window: progress.window })).toString(
    'base64url',
  );
}

/**
 * The token bucket: `rate` rows per elapsed second since the start (the first second's worth at
 * once), minus what was made, and at most one second's worth per tick, so a worker that was
 * down does not burst to catch up; never more than this tick's `budget`.
 */
export function rowsAllowed(input: { rate: number; startedAt: Date; now: Date; processed: number; budget: number }): number {
  const earned = Math.floor(input.rate * ((input.now.getTime() - input.startedAt.getTime()) / 1000 + 1)) - input.processed;
  return Math.max(0, Math.min(earned, input.rate, input.budget));
}

/**
 * The next window, and how many rows this tick makes (at most `take`). Congested (the
 * destinations hold more than a twentieth of the window, at least 2, of due rows): the window
 * halves, down to MIN_WINDOW, and only `window − backlog` rows are made. Otherwise it doubles,
 * up to the rate, once the replay has started.
 */
export function nextWindow(input: { window: number; backlog: number; rate: number; started: boolean; take: number }): { window: number; rows: number } {
  const congested = input.backlog > Math.max(2, Math.floor(input.window / 20));
  const window = congested ? Math.max(MIN_WINDOW, Math.floor(input.window / 2)) : input.started ? Math.min(input.rate, input.window * 2) : input.window;
  return { window, rows: Math.min(input.take, congested ? Math.max(0, window - input.backlog) : window) };
}
