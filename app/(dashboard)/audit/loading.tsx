import { TableSkeleton } from '@/components/overview/overview-skeleton';

export default function AuditLoading() {
  return <TableSkeleton label="Loading the audit log" withFilters />;
}
