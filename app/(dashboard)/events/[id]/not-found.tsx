import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';

export default function EventNotFound() {
  return (
    <Card>
      <EmptyState
        title="No such event"
        description="The link may be mistyped, or the event is older than the retention period (30 days unless HOOKYARD_RETENTION_DAYS says otherwise) and was removed."
        action={
          <Link href="/events" className="text-sm font-semibold text-indigo-700 hover:underline">
            Search the events →
          </Link>
        }
      />
    </Card>
  );
}
