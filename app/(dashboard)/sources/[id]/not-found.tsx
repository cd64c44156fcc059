import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';

export default function SourceNotFound() {
  return (
    <Card>
      <EmptyState
        title="No such source"
        description="It may have been created on another Hookyard, or the link is mistyped. Sources are never deleted, only disabled."
        action={
          <Link href="/sources" className="text-sm font-semibold text-indigo-700 hover:underline">
            All sources →
          </Link>
        }
      />
    </Card>
  );
}
