import { EventsListSkeleton } from '@/components/events/skeletons';

export default function EventsLoading() {
  return <EventsListSkeleton />;
}
