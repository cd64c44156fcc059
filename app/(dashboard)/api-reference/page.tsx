import type { Metadata } from 'next';
import { ApiReference } from '@/components/api-reference/api-reference';
import { PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { openApiDocument } from '@/lib/api/openapi';

export const metadata: Metadata = { title: 'API reference' };

/** Every /api/v1 operation, rendered from the same document GET /api/v1/openapi.json serves (docs/openapi.md). */
export default async function ApiReferencePage() {
  await requireSignedIn();
  return (
    <>
      <PageHeader
        title="API reference"
        description="Every operation of the JSON API, with its parameters, bodies, answers and the role it needs. Scripts authenticate with an API key (Authorization: Bearer). The raw OpenAPI 3.1 document is at /api/v1/openapi.json."
      />
      <ApiReference spec={openApiDocument()} />
    </>
  );
}
