'use client';

import { useSyncExternalStore } from 'react';
import { Badge } from '@/components/ui/card';
import { formatSeconds } from '@/lib/alerts/durations';

const subscribeNever = () => () => undefined;
const onClient = () => true;
const onServer = () => false;

/** "10:42" today, "Nov 27, 10:42" before, in the viewer's own time zone. */
function shortTime(date: Date): string {
  const today = new Date().toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(
    undefined,
    today ? { hour: '2-digit', minute: '2-digit' } : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  ).format(date);
}

/**
 * "Silent since 10:42 (expected every 1 h)": a watched source that accepted no event for longer
 * than expected. The time is the viewer's own (the server renders it in UTC until hydration).
 */
export function SilenceBadge({ silentSince, expectedEvery }: { silentSince: string | Date; expectedEvery: number }) {
  const at = new Date(silentSince);
  const hydrated = useSyncExternalStore(subscribeNever, onClient, onServer);
  const time = hydrated ? shortTime(at) : `${at.toISOString().slice(11, 16)} UTC`;
  return (
    <span data-testid="silence-badge" title={`No accepted event since ${at.toISOString()}`}>
      <Badge tone="amber">
        Silent since {time} (expected every {formatSeconds(expectedEvery)})
      </Badge>
    </span>
  );
}
