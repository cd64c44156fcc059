'use client';

import { RouteError } from '@/components/ui/route-error';

export default function DestinationsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} what="Destinations" backHref="/" backLabel="Back to the overview" />;
}
