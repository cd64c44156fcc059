import { FailedQueueSkeleton } from '@/components/events/skeletons';

export default function FailedLoading() {
  return <FailedQueueSkeleton />;
}
