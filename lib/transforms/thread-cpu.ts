/**
 * The CPU time this thread has used, for the sandbox's CPU limit (sandbox.ts). A transform's
 * limit is 50 ms of CPU, not of wall time: on a busy machine a thread can wait longer than that
 * for a core, and a wall-clock deadline would then fail a correct transform, and a failed
 * transform fails its delivery for good (no retries). Node 20 has no per-thread CPU clock, so on
 * Linux it is read from /proc/thread-self/stat (user + system ticks, 10 ms each); elsewhere, or
 * when that file cannot be read, null, and the caller falls back to wall time.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the unit of utime/stime in /proc, 100 on every Linux build Node runs on. */
const TICKS_PER_SECOND = 100;
let unavailable = process.platform !== 'linux';

export function threadCpuMs(): number | null {
  if (unavailable) return null;
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime (14) + stime (15)
    if (!Number.isFinite(ticks)) throw new Error('unreadable');
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    unavailable = true;
    return null;
  }
}
