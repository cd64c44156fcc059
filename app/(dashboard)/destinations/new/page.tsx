import type { Metadata } from 'next';
import Link from 'next/link';
import { Forbidden } from '@/components/forbidden';
import { Card, PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { DestinationForm } from '../destination-form';

export const metadata: Metadata = { title: 'New destination' };

export default async function NewDestinationPage() {
  const principal = await requireSignedIn();
  if (!hasRole(principal.role, 'ADMIN')) return <Forbidden required="ADMIN" actual={principal.role} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/destinations" className="text-slate-500 hover:text-slate-800">
          ← Destinations
        </Link>
      </nav>
      <PageHeader
        title="New destination"
        description="Hookyard generates a signing secret for it, so the receiver can check that each forward really comes from Hookyard."
      />
      <Card>
        <DestinationForm mode="create" />
      </Card>
    </>
  );
}
