import Link from 'next/link';
import type { AlertView } from '@/lib/alerts/list-alerts';

type Targeted = Pick<AlertView, 'destination' | 'source' | 'channel'>;

/** What the alert is about, as a name: a destination, a source or a notification channel. */
export function alertTargetName(alert: Targeted): string {
  return alert.destination?.name ?? alert.source?.name ?? alert.channel?.name ?? 'no target';
}

/** The alert's target with what kind of thing it is; destinations and sources link to their pages. */
export function AlertTarget({ alert }: { alert: Targeted }) {
  const link = 'font-medium text-indigo-700 hover:underline';
  if (alert.destination) {
    return (
      <>
        <Link href={`/destinations/${alert.destination.id}`} className={link}>
          {alert.destination.name}
        </Link>
        <span className="block text-xs text-slate-500">Destination</span>
      </>
    );
  }
  if (alert.source) {
    return (
      <>
        <Link href={`/sources/${alert.source.id}`} className={link}>
          {alert.source.name}
        </Link>
        <span className="block text-xs text-slate-500">Source</span>
      </>
    );
  }
  if (alert.channel) {
    return (
      <>
        <span className="font-medium text-slate-800">{alert.channel.name}</span>
        <span className="block text-xs text-slate-500">Notification channel</span>
      </>
    );
  }
  return <span className="text-slate-500">—</span>;
}
