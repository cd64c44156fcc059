import { TableSkeleton } from '@/components/overview/overview-skeleton';

export default function SystemLoading() {
  return <TableSkeleton label="Loading the workers" rows={3} />;
}
