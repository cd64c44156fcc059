import type { Metadata } from 'next';
import Link from 'next/link';
import { Forbidden } from '@/components/forbidden';
import { Card, Notice, PageHeader } from '@/components/ui/card';
import { requireSignedIn } from '@/app/_server/page-guard';
import { hasRole } from '@/lib/auth/roles';
import { isEmailConfigured, listChannels } from '@/lib/notifications/manage-channels';
import { ChannelForm } from './channel-form';
import { ChannelItem } from './channel-item';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  const principal = await requireSignedIn();
  if (!hasRole(principal.role, 'ADMIN')) return <Forbidden required="ADMIN" actual={principal.role} />;
  const [channels, emailReady] = await Promise.all([listChannels(), Promise.resolve(isEmailConfigured())]);
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          <>
            Where{' '}
            <Link href="/alerts" className="font-medium text-indigo-700 hover:underline">
              alerts
            </Link>{' '}
            are sent: one message when an alert is raised and one when it resolves. When many alerts change at once, a Slack or email channel gets one digest
            instead of a message each, and a webhook gets each one, a few at a time.
          </>
        }
      />
      <div className="space-y-6">
        <Card title="Add a channel">
          {!emailReady ? (
            <div className="mb-4">
              <Notice>
                Email channels need <code className="font-mono">HOOKYARD_SMTP_URL</code> and <code className="font-mono">HOOKYARD_EMAIL_FROM</code>; Slack and
                webhook channels work without them.
              </Notice>
            </div>
          ) : null}
          <ChannelForm emailReady={emailReady} />
        </Card>
        <Card title="Channels" description="A channel that keeps failing raises a “Notifications failing” alert, sent to the other channels.">
          {channels.length === 0 ? (
            <p className="text-sm text-slate-500" data-testid="channels-empty">
              No channels yet: alerts show only on the Alerts page. Add one above.
            </p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {channels.map((channel) => (
                <ChannelItem key={channel.id} channel={channel} emailReady={emailReady} />
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
