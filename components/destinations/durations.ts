/**
 * Retry delays in human units: the API stores seconds, people think in "5 min" and "2 h".
 */
export type DurationUnit = 's' | 'min' | 'h' | 'd';

export const UNIT_SECONDS: Record<DurationUnit, number> = { s: 1, min: 60, h: 3600, d: 86_400 };
export const UNIT_LABELS: Record<DurationUnit, string> = { s: 'seconds', min: 'minutes', h: 'hours', d: 'days' };

/** The largest unit that expresses `seconds` exactly: 300 → 5 min, 90 → 90 s. */
export function toUnit(seconds: number): { value: number; unit: DurationUnit } {
  for (const unit of ['d', 'h', 'min'] as const) {
    if (seconds > 0 && seconds % UNIT_SECONDS[unit] === 0) return { value: seconds / UNIT_SECONDS[unit], unit };
  }
  return { value: seconds, unit: 's' };
}

/** "immediately", "5 s", "5 min", "2 h", "1 d 12 h". */
export function formatDelay(seconds: number): string {
  if (seconds === 0) return 'immediately';
  const parts: string[] = [];
  let rest = seconds;
  for (const unit of ['d', 'h', 'min', 's'] as const) {
    const size = UNIT_SECONDS[unit];
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

export function formatSchedule(schedule: readonly number[]): string {
  return schedule.map(formatDelay).join(', ');
}

/**
 * What a retry schedule (the wait before each attempt) adds up to, pluralised: "1 attempt, no
 * retries.", "3 attempts, all at once.", "8 attempts, the last about 1 d 3 h after the first."
 */
export function scheduleSummary(schedule: number[]): string {
  const count = schedule.length;
  if (count <= 1) return `${count} ${count === 1 ? 'attempt' : 'attempts'}, no retries.`;
  const span = schedule.slice(1).reduce((sum, delay) => sum + (Number.isFinite(delay) ? delay : 0), 0);
  return span === 0 ? `${count} attempts, all at once.` : `${count} attempts, the last about ${formatDelay(span)} after the first.`;
}
