'use client';

import { RuleForm, type SaveAlertSettings } from '@/components/alerts/alert-rule-forms';
import { Card } from '@/components/ui/card';
import { DEFAULT_BACKLOG_AGE, DEFAULT_FAILURE_RATE, type DestinationAlertSettings } from '@/lib/alerts/alert-rule-defaults';

/** The destination's alert rules: the failure rate and the backlog age. */
export function DestinationAlertSettingsCard({
  destinationId,
  settings,
  canEdit,
  save,
}: {
  destinationId: string;
  settings: DestinationAlertSettings;
  canEdit: boolean;
  save: SaveAlertSettings;
}) {
  const { failureRate, backlogAge } = settings;
  return (
    <Card
      title="Alerts"
      description={
        canEdit
          ? 'When this destination raises an alert, beyond a delivery that gives up, an open circuit and an automatic disable. Checked every 15 seconds.'
          : 'When this destination raises an alert. Admins change these settings.'
      }
    >
      <RuleForm
        targetId={destinationId}
        rule="failureRate"
        title="Failure rate"
        description="Alert when too many delivery attempts fail in a window. Fewer attempts than the minimum are too few to judge."
        enabled={failureRate.enabled}
        enabledLabel="Alert on a high failure rate"
        canEdit={canEdit}
        save={save}
        fields={[
          {
            key: 'threshold',
            label: 'Failed',
            unit: '% or more',
            value: Math.round(failureRate.threshold * 1000) / 10,
            defaultValue: DEFAULT_FAILURE_RATE.threshold * 100,
            min: 0.1,
            max: 100,
            step: 0.1,
            toSetting: (value) => Math.round(value * 10) / 1000,
          },
          {
            key: 'windowSeconds',
            label: 'Within',
            unit: 'minutes',
            value: failureRate.windowSeconds / 60,
            defaultValue: DEFAULT_FAILURE_RATE.windowSeconds / 60,
            min: 1,
            max: 1440,
            toSetting: (value) => Math.round(value * 60),
          },
          {
            key: 'minAttempts',
            label: 'With at least',
            unit: 'attempts',
            value: failureRate.minAttempts,
            defaultValue: DEFAULT_FAILURE_RATE.minAttempts,
            min: 1,
            max: 1_000_000,
            toSetting: (value) => value,
          },
        ]}
      />
      <RuleForm
        targetId={destinationId}
        rule="backlogAge"
        title="Backlog age"
        description="Alert when a due delivery waits too long to go out: too few workers, the circuit holding everything, or limits too low for the traffic. Deliveries waiting for a retry, and a paused destination's, do not count."
        enabled={backlogAge.enabled}
        enabledLabel="Alert on an old backlog"
        canEdit={canEdit}
        save={save}
        fields={[
          {
            key: 'thresholdSeconds',
            label: 'Oldest due delivery waiting',
            unit: 'minutes',
            value: backlogAge.thresholdSeconds / 60,
            defaultValue: DEFAULT_BACKLOG_AGE.thresholdSeconds / 60,
            min: 1,
            max: 10_080,
            step: 1,
            toSetting: (value) => Math.round(value * 60),
          },
        ]}
      />
    </Card>
  );
}
