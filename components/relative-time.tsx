'use client';

import { formatDistanceToNowStrict } from 'date-fns';
import { useEffect, useState } from 'react';

/**
 * A time in the viewer's own time zone with a relative label ("3 min ago"). The server renders
 * the ISO time; the browser fills in local text after hydration, in a box of fixed width so
 * nothing shifts.
 */
export function RelativeTime({ value }: { value: string | Date | null }) {
  const [text, setText] = useState<{ relative: string; local: string } | null>(null);
  const iso = value ? new Date(value).toISOString() : null;
  useEffect(() => {
    if (!iso) return;
    const update = () => setText({ relative: formatDistanceToNowStrict(new Date(iso), { addSuffix: true }), local: new Date(iso).toLocaleString() });
    update();
    const timer = setInterval(update, 30_000);
    return () => clearInterval(timer);
  }, [iso]);
  if (!iso) return <span className="text-slate-500">never</span>;
  return (
    <time dateTime={iso} title={text?.local ?? iso} className="inline-block min-w-[7ch] tabular-nums">
      {text?.relative ?? '\u00a0'}
    </time>
  );
}
