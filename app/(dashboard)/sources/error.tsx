'use client';

import { RouteError } from '@/components/ui/route-error';

export default function SourcesError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} what="Sources" backHref="/" backLabel="Back to the overview" />;
}
