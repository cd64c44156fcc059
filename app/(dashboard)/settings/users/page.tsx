import type { Metadata } from 'next';
import { Forbidden } from '@/components/forbidden';
import { RelativeTime } from '@/components/relative-time';
import { Badge, Card, PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { listSignInLocks } from '@/lib/auth/sign-in-locks';
import { listUsers } from '@/lib/users/manage-users';
import { CreateUserForm } from './create-user-form';
import { SignInLocks } from './sign-in-locks';
import { UserRowActions } from './user-row-actions';

export const metadata: Metadata = { title: 'Users' };

function signInMethodsLabel(methods: readonly string[]): string {
  if (methods.includes('password') && methods.includes('oidc')) return 'Password and SSO';
  if (methods.includes('oidc')) return 'SSO';
  return methods.includes('password') ? 'Password' : 'SSO (not signed in yet)';
}

export default async function UsersPage() {
  const principal = await requireSignedIn();
  if (!hasRole(principal.role, 'ADMIN')) return <Forbidden required="ADMIN" actual={principal.role} />;
  const [users, locks] = await Promise.all([listUsers(), listSignInLocks()]);
  return (
    <>
      <PageHeader title="Users" description="Who can sign in, and what each role may do." />
      <div className="space-y-6">
        <Card title="Add a user" description="A password is generated and shown once.">
          <CreateUserForm />
        </Card>
        <Card title={`${users.length} ${users.length === 1 ? 'user' : 'users'}`}>
          <div className="-mx-5 overflow-x-auto">
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-5 py-2 font-medium">
                    User
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Signs in with
                  </th>
                  <th scope="col" className="px-5 py-2 font-medium">
                    Last sign-in
                  </th>
                  <th scope="col" className="px-5 py-2 text-right font-medium">
                    Role and access
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {users.map((user) => (
                  <tr key={user.id} data-testid={`user-row-${user.email}`}>
                    <td className="px-5 py-3">
                      <div className="font-medium text-slate-900">{user.email}</div>
                      {user.name ? <div className="text-slate-500">{user.name}</div> : null}
                    </td>
                    <td className="px-5 py-3">{user.active ? <Badge tone="green">Active</Badge> : <Badge>Deactivated</Badge>}</td>
                    <td className="px-5 py-3 text-slate-600" data-testid="sign-in-methods">
                      {signInMethodsLabel(user.signInMethods)}
                    </td>
                    <td className="px-5 py-3 text-slate-600">
                      <RelativeTime value={user.lastLoginAt} />
                    </td>
                    <td className="px-5 py-3">
                      <UserRowActions id={user.id} email={user.email} role={user.role} active={user.active} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <Card
          title="Sign-in locks"
          description="Failed sign-ins of the last 15 minutes. An account, or an account from one address, is locked after too many; an address alone is only slowed."
        >
          <SignInLocks
            locks={locks.map((lock) => ({
              ...lock,
              lockedUntil: lock.lockedUntil?.toISOString() ?? null,
              lastFailedAt: lock.lastFailedAt?.toISOString() ?? null,
            }))}
          />
        </Card>
      </div>
    </>
  );
}
