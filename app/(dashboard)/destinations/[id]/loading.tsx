import { CardSkeleton, LoadingAnnouncement, PageHeaderSkeleton, SkeletonBlock } from '@/components/sources/skeleton';

export default function DestinationLoading() {
  return (
    <>
      <LoadingAnnouncement what="the destination" />
      <div className="mb-2 h-5" />
      <PageHeaderSkeleton />
      <div className="space-y-6">
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          {Array.from({ length: 4 }, (_, index) => (
            <SkeletonBlock key={index} className="h-[6.5rem] rounded-lg" />
          ))}
        </div>
        <CardSkeleton lines={3} />
        <CardSkeleton lines={2} />
        <CardSkeleton lines={6} />
      </div>
    </>
  );
}
