import { OverviewSkeleton } from '@/components/overview/overview-skeleton';

export default function DashboardLoading() {
  return <OverviewSkeleton />;
}
