'use client';

import type { ReactNode } from 'react';
import { RuleForm, type SaveAlertSettings, SilenceForm } from '@/components/alerts/alert-rule-forms';
import { Card } from '@/components/ui/card';
import { DEFAULT_REJECTION_SPIKE, type SourceAlertSettings } from '@/lib/alerts/alert-rule-defaults';

/** The source's alert rules: the silence watch (expectedEvery) and the rejection spike. */
export function SourceAlertSettingsCard({
  sourceId,
  settings,
  canEdit,
  save,
  silenceState,
}: {
  sourceId: string;
  settings: SourceAlertSettings;
  canEdit: boolean;
  save: SaveAlertSettings;
  silenceState: ReactNode;
}) {
  const spike = settings.rejectionSpike;
  return (
    <Card
      title="Alerts"
      description={
        canEdit
          ? 'When this source raises an alert (on the Alerts page, and to the notification channels). Checked every 15 seconds.'
          : 'When this source raises an alert. Admins change these settings.'
      }
    >
      <SilenceForm targetId={sourceId} expectedEvery={settings.expectedEvery} canEdit={canEdit} save={save} state={silenceState} />
      <RuleForm
        targetId={sourceId}
        rule="rejectionSpike"
        title="Rejection spike"
        description="Alert when many requests are refused in a short time: a provider that rotated its secret, or someone probing the URL."
        enabled={spike.enabled}
        enabledLabel="Alert on a rejection spike"
        canEdit={canEdit}
        save={save}
        fields={[
          {
            key: 'threshold',
            label: 'Rejected requests',
            unit: 'or more',
            value: spike.threshold,
            defaultValue: DEFAULT_REJECTION_SPIKE.threshold,
            min: 1,
            max: 1_000_000,
            toSetting: (value) => value,
          },
          {
            key: 'windowSeconds',
            label: 'Within',
            unit: 'minutes',
            value: spike.windowSeconds / 60,
            defaultValue: DEFAULT_REJECTION_SPIKE.windowSeconds / 60,
            min: 1,
            max: 1440,
            toSetting: (value) => Math.round(value * 60),
          },
        ]}
      />
    </Card>
  );
}
