import { Badge } from '@/components/ui/card';
import { ALERT_KIND_LABELS, type AlertKind } from '@/lib/alerts/alert-kinds';

const KIND_TONES: Record<AlertKind, 'red' | 'amber'> = {
  delivery_exhausted: 'red',
  destination_failure_rate: 'amber',
  destination_circuit_open: 'amber',
  destination_disabled: 'red',
  backlog_age: 'amber',
  source_silent: 'amber',
  rejection_spike: 'red',
  notification_failing: 'red',
};

export const alertKindLabel = (kind: string) => ALERT_KIND_LABELS[kind as AlertKind] ?? kind;

export function AlertKindBadge({ kind }: { kind: string }) {
  return <Badge tone={KIND_TONES[kind as AlertKind] ?? 'slate'}>{alertKindLabel(kind)}</Badge>;
}

export function AlertStatusBadge({ status }: { status: string }) {
  if (status === 'open') return <Badge tone="red">Open</Badge>;
  if (status === 'acknowledged') return <Badge tone="amber">Acknowledged</Badge>;
  return <Badge tone="green">Resolved</Badge>;
}
