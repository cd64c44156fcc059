import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';

export default function AlertNotFound() {
  return (
    <Card>
      <EmptyState
        icon="inbox"
        title="No such alert"
        description="The link may be mistyped, or the alert was removed with the destination, source or channel it was about."
        action={
          <Link href="/alerts?status=all" className="text-sm font-semibold text-indigo-700 hover:underline">
            All alerts →
          </Link>
        }
      />
    </Card>
  );
}
