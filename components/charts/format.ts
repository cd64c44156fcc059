/**
 * Number and time formatting for the charts and the overview, with Intl. Locale `undefined` means
 * the viewer's own (the charts render in the browser only); server components pass `'en'` so that
 * their HTML matches on hydration.
 */
export type ValueUnit = 'count' | 'percent' | 'ms';

const cache = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

export function formatCount(value: number, locale?: string): string {
  return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

/** 1.2K, 35M: for axis ticks. */
export function formatCompact(value: number, locale?: string): string {
  return numberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function formatPercent(value: number | null, locale?: string): string {
  if (value === null) return '—';
  const digits = value !== 0 && Math.abs(value) < 10 ? 1 : 0;
  return `${numberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value)}%`;
}

/** Latency values are histogram bucket bounds: "≤ 250 ms", "≤ 2.5 s". */
export function formatLatency(ms: number | null, locale?: string, bound = true): string {
  if (ms === null) return '—';
  const prefix = bound ? '≤ ' : '';
  if (ms >= 1000) return `${prefix}${numberFormat(locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
  return `${prefix}${numberFormat(locale, { maximumFractionDigits: 0 }).format(ms)} ms`;
}

export function formatValue(value: number | null, unit: ValueUnit, locale?: string): string {
  if (value === null) return '—';
  if (unit === 'percent') return formatPercent(value, locale);
  if (unit === 'ms') return formatLatency(value, locale);
  return formatCount(value, locale);
}

/** A duration in words for ages: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
