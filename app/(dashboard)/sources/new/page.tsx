import type { Metadata } from 'next';
import Link from 'next/link';
import { Forbidden } from '@/components/forbidden';
import { providerOptions } from '@/components/sources/provider-fields';
import { Card, PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { listSourceSlugs } from '@/lib/sources/manage-sources';
import { requestBaseUrl } from '../request-base-url';
import { SourceForm } from '../source-form';

export const metadata: Metadata = { title: 'New source' };

export default async function NewSourcePage() {
  const principal = await requireSignedIn();
  if (!hasRole(principal.role, 'ADMIN')) return <Forbidden required="ADMIN" actual={principal.role} />;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/sources" className="text-slate-500 hover:text-slate-800">
          ← Sources
        </Link>
      </nav>
      <PageHeader title="New source" description="Pick the provider, and Hookyard verifies its webhooks the way that provider signs them." />
      <Card>
        <SourceForm mode="create" providers={providerOptions()} baseUrl={await requestBaseUrl()} takenSlugs={await listSourceSlugs()} />
      </Card>
    </>
  );
}
