'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { LocalTime } from './local-time';

const subscribeNever = () => () => undefined;
const onClient = () => true;
const onServer = () => false;

/**
 * A time that is meant to be in the future (a next attempt, a next probe). Once it has passed it
 * is not shown as "3 minutes ago", which reads as if the thing had happened: it says `dueText`
 * ("due now") instead, with the time in the tooltip. Re-checked every 5 s.
 */
export function UpcomingTime({ value, dueText = 'due now', className = '' }: { value: string | Date; dueText?: string; className?: string }) {
  const hydrated = useSyncExternalStore(subscribeNever, onClient, onServer);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);
  const iso = new Date(value).toISOString();
  if (!hydrated) return <span className={`inline-block min-w-[15ch] ${className}`}>{'\u00a0'}</span>;
  if (new Date(iso).getTime() <= now) {
    return (
      <span className={className} title={iso} data-testid="upcoming-due">
        {dueText}
      </span>
    );
  }
  return <LocalTime value={value} relative="inline" className={className} />;
}
