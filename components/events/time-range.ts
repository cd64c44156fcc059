/**
 * Time ranges in the URL: a relative preset (`range=24h`, which stays "the last day" when the
 * link is opened tomorrow) or explicit ISO `from`/`to`. Pure, for the pages and the forms.
 */
export const RANGE_PRESETS = {
  '15m': { label: 'Last 15 minutes', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
} as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

export const isRangePreset = (value: string | undefined): value is RangePreset => value !== undefined && Object.hasOwn(RANGE_PRESETS, value);

/** `from`/`to` as the lists take them: a preset becomes `from` = now − its length. */
export function resolveRange(params: { range?: string; from?: string; to?: string }, now = Date.now()): { from?: string; to?: string } {
  if (isRangePreset(params.range)) return { from: new Date(now - RANGE_PRESETS[params.range].ms).toISOString() };
  return { from: params.from, to: params.to };
}

/** First value of a search param. */
export const firstParam = (value: string | string[] | undefined): string | undefined => {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() ? text.trim() : undefined;
};
