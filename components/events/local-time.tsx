'use client';

import { formatDistanceToNowStrict } from 'date-fns';
import { useEffect, useState, useSyncExternalStore } from 'react';

const subscribeNever = () => () => undefined;
const onClient = () => true;
const onServer = () => false;

const FORMATS = {
  /** Nov 27, 14:05:32 */
  short: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' },
  /** Nov 27, 2026, 14:05:32.123 */
  precise: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3 },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * A moment in the viewer's own time zone, optionally with "3 min ago" under or beside it. The
 * server cannot know the zone, so it renders a blank of the same width and the browser fills it
 * in after hydration: no layout shift and no hydration mismatch. The ISO time is in `dateTime`
 * and in the tooltip.
 */
export function LocalTime({
  value,
  format = 'short',
  relative = 'none',
  className = '',
}: {
  value: string | Date;
  format?: keyof typeof FORMATS;
  relative?: 'none' | 'below' | 'inline';
  className?: string;
}) {
  const iso = new Date(value).toISOString();
  const hydrated = useSyncExternalStore(subscribeNever, onClient, onServer);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (relative === 'none') return;
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, [relative]);
  const date = new Date(iso);
  const local = hydrated ? new Intl.DateTimeFormat(undefined, FORMATS[format]).format(date) : null;
  // `now` re-renders the relative text; date-fns reads the clock itself.
  const ago = hydrated && relative !== 'none' && now ? formatDistanceToNowStrict(date, { addSuffix: true }) : null;
  const width = format === 'precise' ? 'min-w-[24ch]' : 'min-w-[15ch]';
  return (
    <span className={`${relative === 'below' ? 'flex flex-col' : 'inline-flex flex-wrap items-baseline gap-x-2'} ${className}`}>
      <time dateTime={iso} title={iso} className={`inline-block whitespace-nowrap tabular-nums ${width}`}>
        {local ?? '\u00a0'}
      </time>
      {relative !== 'none' ? <span className="inline-block min-w-[9ch] whitespace-nowrap text-xs text-slate-500 tabular-nums">{ago ?? '\u00a0'}</span> : null}
    </span>
  );
}
