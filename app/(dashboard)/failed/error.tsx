'use client';

import { RouteError } from '@/components/ui/route-error';

export default function FailedError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} what="The failed deliveries" backHref="/" backLabel="Back to the overview" />;
}
