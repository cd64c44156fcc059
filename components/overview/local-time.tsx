'use client';

import { useSyncExternalStore } from 'react';

const noopSubscribe = () => () => undefined;

/** A date and time in the viewer's own time zone and locale, filled in after hydration in a fixed-width box. */
export function LocalTime({ value }: { value: string }) {
  const text = useSyncExternalStore(
    noopSubscribe,
    () => new Date(value).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }),
    () => null,
  );
  return (
    <time dateTime={value} className="inline-block min-w-[12ch] tabular-nums">
      {text ?? '\u00a0'}
    </time>
  );
}
