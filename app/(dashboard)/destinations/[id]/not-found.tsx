import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';

export default function DestinationNotFound() {
  return (
    <Card>
      <EmptyState
        icon="send"
        title="No such destination"
        description="The link may be mistyped. Destinations are never deleted, only disabled, so it was probably never here."
        action={
          <Link href="/destinations" className="text-sm font-semibold text-indigo-700 hover:underline">
            All destinations →
          </Link>
        }
      />
    </Card>
  );
}
