/** Durations in alert messages and on the dashboard; free of the database and of zod, so client components use it too. */

const UNITS: [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** "5 min", "1 h", "1 min 30 s", "2 d 3 h": the largest unit and, when not zero, the next one down. */
export function formatSeconds(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const first = UNITS.findIndex(([size]) => total >= size);
  if (first === -1) return '0 s';
  const [size, label] = UNITS[first]!;
  const text = `${Math.floor(total / size)} ${label}`;
  const next = UNITS[first + 1];
  if (!next) return text;
  const rest = Math.floor((total % size) / next[0]);
  return rest > 0 ? `${text} ${rest} ${next[1]}` : text;
}
