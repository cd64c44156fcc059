import { TableSkeleton } from '@/components/overview/overview-skeleton';

export default function AlertsLoading() {
  return <TableSkeleton label="Loading alerts" />;
}
