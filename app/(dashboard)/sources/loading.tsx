import { LoadingAnnouncement, PageHeaderSkeleton, SkeletonBlock, TableSkeleton } from '@/components/sources/skeleton';

export default function SourcesLoading() {
  return (
    <>
      <LoadingAnnouncement what="sources" />
      <PageHeaderSkeleton />
      <SkeletonBlock className="mb-4 h-4 w-72" />
      <TableSkeleton rows={4} columns={6} />
    </>
  );
}
