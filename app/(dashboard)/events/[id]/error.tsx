'use client';

import { RouteError } from '@/components/ui/route-error';

export default function EventError({ error, retry }: { error: unknown; retry: () => void }) {
  return <RouteError error={error} retry={retry} what="This event" backHref="/events" backLabel="Back to the events" />;
}
