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
