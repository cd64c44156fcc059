import { LoadingAnnouncement, PageHeaderSkeleton, TableSkeleton } from '@/components/sources/skeleton';

export default function DestinationsLoading() {
  return (
    <>
      <LoadingAnnouncement what="destinations" />
      <PageHeaderSkeleton />
      <TableSkeleton rows={4} columns={6} />
    </>
  );
}
