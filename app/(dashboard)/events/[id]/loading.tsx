import { EventDetailSkeleton } from '@/components/events/skeletons';

export default function EventLoading() {
  return <EventDetailSkeleton />;
}
