'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { RelativeTime } from '@/components/relative-time';
import { Button } from '@/components/ui/button';
import { Badge } from '@/components/ui/card';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';
import { ALERT_KIND_LABELS } from '@/lib/alerts/alert-kinds';
import { CHANNEL_TYPE_LABELS } from '@/lib/notifications/channel-types';
import type { ChannelView } from '@/lib/notifications/manage-channels';
import type { TestMessageResult } from '@/lib/notifications/test-channel';
import { deleteChannelAction, sendTestMessageAction, updateChannelAction } from './actions';
import { ChannelForm } from './channel-form';

function HealthBadge({ channel }: { channel: ChannelView }) {
  if (!channel.enabled) return <Badge>Disabled</Badge>;
  if (channel.health.state === 'failing') return <Badge tone="red">Failing</Badge>;
  if (channel.health.state === 'ok') return <Badge tone="green">Working</Badge>;
  return <Badge tone="amber">Nothing sent yet</Badge>;
}

function TestOutcome({ result }: { result: TestMessageResult }) {
  return (
    <p role="status" data-testid="test-outcome" className={`text-sm ${result.delivered ? 'text-emerald-700' : 'text-red-700'}`}>
      {result.delivered
        ? `Test message delivered${result.status ? ` (HTTP ${result.status})` : ''} in ${result.durationMs} ms.`
        : `Test message not delivered: ${result.errorKind} — ${result.error}`}
    </p>
  );
}

/** One channel: what it is, whether it works, and its actions (test, edit, enable/disable, delete). */
export function ChannelItem({ channel, emailReady }: { channel: ChannelView; emailReady: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [outcome, setOutcome] = useState<TestMessageResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const run = <T,>(action: () => Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>, after?: (data: T) => void) =>
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      after?.(result.data);
      router.refresh();
    });

  const target = channel.type === 'email' ? channel.to.join(', ') : (channel.urlHint ?? '—');
  return (
    <li className="py-4 first:pt-0 last:pb-0" data-testid={`channel-${channel.id}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="text-sm font-semibold text-slate-900">{channel.name}</h3>
            <Badge tone="indigo">{CHANNEL_TYPE_LABELS[channel.type]}</Badge>
            <HealthBadge channel={channel} />
          </div>
          <p className="break-all font-mono text-xs text-slate-600">{target}</p>
          <p className="text-xs text-slate-600">
            {channel.kinds ? `Kinds: ${channel.kinds.map((kind) => ALERT_KIND_LABELS[kind]).join(', ')}` : 'All alert kinds'}
            {channel.signingSecretHint ? (
              <>
                {' · '}Signing secret <code className="font-mono">{channel.signingSecretHint}</code>
              </>
            ) : null}
          </p>
          <p className="text-xs text-slate-600">
            Last sent: <RelativeTime value={channel.health.lastSentAt} />
            {channel.health.failingSince ? (
              <>
                {' · '}Failing since <RelativeTime value={channel.health.failingSince} /> ({channel.health.consecutiveFailures} in a row)
              </>
            ) : null}
          </p>
          {channel.health.lastError ? <p className="break-words text-xs text-red-700">Last error: {channel.health.lastError}</p> : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button
            variant="secondary"
            disabled={pending}
            aria-label={`Send test message to ${channel.name}`}
            onClick={() => {
              setOutcome(null);
              run(() => sendTestMessageAction({ id: channel.id }), setOutcome);
            }}
          >
            Send test message
          </Button>
          <Button variant="secondary" disabled={pending} aria-label={`Edit ${channel.name}`} onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button
            variant="secondary"
            disabled={pending}
            aria-label={`${channel.enabled ? 'Disable' : 'Enable'} ${channel.name}`}
            onClick={() => run(() => updateChannelAction({ id: channel.id, enabled: !channel.enabled }))}
          >
            {channel.enabled ? 'Disable' : 'Enable'}
          </Button>
          <Button variant="danger" disabled={pending} aria-label={`Delete ${channel.name}`} onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </div>
      </div>
      <div className="mt-2 space-y-1">
        {pending && !outcome ? <p className="text-sm text-slate-500">Working…</p> : null}
        {outcome ? <TestOutcome result={outcome} /> : null}
        {error ? (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        ) : null}
      </div>
      <Dialog open={editing} onClose={() => setEditing(false)} title={`Edit ${channel.name}`} size="lg">
        {editing ? <ChannelForm channel={channel} emailReady={emailReady} onDone={() => setEditing(false)} /> : null}
      </Dialog>
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        onConfirm={() =>
          run(
            () => deleteChannelAction({ id: channel.id }),
            () => setDeleting(false),
          )
        }
        title={`Delete ${channel.name}?`}
        description="Alerts stop going to this channel, and its notification history and signing secret are deleted. To pause it and keep the history, disable it instead."
        confirmLabel="Delete channel"
        pending={pending}
        error={error}
      />
    </li>
  );
}
