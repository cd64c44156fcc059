'use client';

import { useSyncExternalStore } from 'react';

const FORMAT: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
/** This year's dates leave the year out: "Nov 27, 5:57 AM". */
const FORMAT_THIS_YEAR: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' };
const FORMAT_SECONDS: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

function format(date: Date, seconds: boolean): string {
  if (seconds) return new Intl.DateTimeFormat(undefined, FORMAT_SECONDS).format(date);
  const thisYear = date.getFullYear() === new Date().getFullYear();
  return new Intl.DateTimeFormat(undefined, thisYear ? FORMAT_THIS_YEAR : FORMAT).format(date);
}

const subscribeNever = () => () => undefined;
const clientSnapshot = () => true;
const serverSnapshot = () => false;

/**
 * A date in the viewer's own locale and time zone ("Nov 27, 14:05"; with the year when it is
 * not this year). The server cannot
 * know the zone, so it renders a fixed-width blank that the browser fills in after hydration:
 * no layout shift, no hydration mismatch.
 */
export function LocalDateTime({ value, seconds = false, className = '' }: { value: string | Date | null; seconds?: boolean; className?: string }) {
  const iso = value ? new Date(value).toISOString() : null;
  const hydrated = useSyncExternalStore(subscribeNever, clientSnapshot, serverSnapshot);
  const text = hydrated && iso ? format(new Date(iso), seconds) : null;
  if (!iso) return <span className="text-slate-500">–</span>;
  return (
    <time dateTime={iso} className={`inline-block min-w-[12ch] tabular-nums ${className}`}>
      {text ?? '\u00a0'}
    </time>
  );
}
