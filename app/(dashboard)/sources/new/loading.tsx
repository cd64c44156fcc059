import { CardSkeleton, LoadingAnnouncement, PageHeaderSkeleton } from '@/components/sources/skeleton';

export default function NewSourceLoading() {
  return (
    <>
      <LoadingAnnouncement what="the source form" />
      <div className="mb-2 h-5" />
      <PageHeaderSkeleton withAction={false} />
      <CardSkeleton lines={8} />
    </>
  );
}
