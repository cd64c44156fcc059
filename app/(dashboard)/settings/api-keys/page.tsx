import type { Metadata } from 'next';
import { Forbidden } from '@/components/forbidden';
import { RelativeTime } from '@/components/relative-time';
import { Badge, Card, PageHeader } from '@/components/ui/card';
import { listApiKeys } from '@/lib/auth/manage-api-keys';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { CreateApiKeyForm, RevokeApiKeyButton } from './api-key-forms';

export const metadata: Metadata = { title: 'API keys' };

export default async function ApiKeysPage() {
  const principal = await requireSignedIn();
  if (!hasRole(principal.role, 'ADMIN')) return <Forbidden required="ADMIN" actual={principal.role} />;
  const keys = await listApiKeys();
  return (
    <>
      <PageHeader
        title="API keys"
        description={
          <>
            For scripts: send <code className="font-mono">Authorization: Bearer &lt;key&gt;</code> to <code className="font-mono">/api/v1</code>. A key carries
            a role, like a person.
          </>
        }
      />
      <div className="space-y-6">
        <Card title="Create a key">
          <CreateApiKeyForm />
        </Card>
        <Card title="Keys">
          {keys.length === 0 ? (
            <p className="text-sm text-slate-500">
              No keys yet. Create one above, or run <code className="font-mono">npm run apikey:create -- --role VIEWER --name NAME</code>.
            </p>
          ) : (
            <div className="-mx-5 overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="px-5 py-2 font-medium">
                      Name
                    </th>
                    <th scope="col" className="px-5 py-2 font-medium">
                      Role
                    </th>
                    <th scope="col" className="px-5 py-2 font-medium">
                      Created
                    </th>
                    <th scope="col" className="px-5 py-2 font-medium">
                      Last used
                    </th>
                    <th scope="col" className="px-5 py-2 text-right font-medium">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {keys.map((key) => (
                    <tr key={key.id}>
                      <td className="px-5 py-3">
                        <div className="font-medium">{key.name}</div>
                        <code className="font-mono text-xs text-slate-500">{key.prefix}…</code>
                      </td>
                      <td className="px-5 py-3">
                        <Badge tone="indigo">{key.role}</Badge>
                      </td>
                      <td className="px-5 py-3 text-slate-600">
                        <RelativeTime value={key.createdAt} />
                        {key.createdBy ? <div className="text-xs text-slate-500">by {key.createdBy.email}</div> : null}
                      </td>
                      <td className="px-5 py-3 text-slate-600">
                        <RelativeTime value={key.lastUsedAt} />
                      </td>
                      <td className="px-5 py-3 text-right">
                        {key.revokedAt ? (
                          <Badge>Revoked</Badge>
                        ) : key.expiresAt && key.expiresAt < new Date() ? (
                          <Badge tone="amber">Expired</Badge>
                        ) : (
                          <RevokeApiKeyButton id={key.id} name={key.name} />
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
