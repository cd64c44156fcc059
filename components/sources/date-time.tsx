'use client';

import { useEffect, useState } from 'react';

const FORMAT: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
const FORMAT_SECONDS: Intl.DateTimeFormatOptions = { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' };

/**
 * A date in the viewer's own locale and time zone ("Nov 27, 2026, 14:05"). The server cannot
 * know the zone, so it renders a fixed-width blank that the browser fills in after hydration:
 * no layout shift, no hydration mismatch.
 */
export function LocalDateTime({ value, seconds = false, className = '' }: { value: string | Date | null; seconds?: boolean; className?: string }) {
  const iso = value ? new Date(value).toISOString() : null;
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    if (iso) setText(new Intl.DateTimeFormat(undefined, seconds ? FORMAT_SECONDS : FORMAT).format(new Date(iso)));
  }, [iso, seconds]);
  if (!iso) return <span className="text-slate-400">–</span>;
  return (
    <time dateTime={iso} className={`inline-block min-w-[12ch] tabular-nums ${className}`}>
      {text ?? '\u00a0'}
    </time>
  );
}
