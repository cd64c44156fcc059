import { Badge } from '@/components/ui/card';
import { DESTINATION_TYPE_INFO, type DestinationType } from './destination-types';

export function DestinationStatusBadge({ status }: { status: 'active' | 'paused' | 'disabled' }) {
  if (status === 'active') return <Badge tone="green">Active</Badge>;
  if (status === 'paused') return <Badge tone="amber">Paused</Badge>;
  return <Badge tone="red">Disabled</Badge>;
}

/** Closed is the healthy state; open means sending is suspended for a cool-down; half-open is one probe. */
export function CircuitBadge({ state }: { state: 'closed' | 'open' | 'half_open' }) {
  if (state === 'closed') return <Badge tone="slate">Circuit closed</Badge>;
  if (state === 'open') return <Badge tone="red">Circuit open</Badge>;
  return <Badge tone="amber">Circuit half-open</Badge>;
}

/** "RabbitMQ", "Redis Streams", "NATS JetStream" or "HTTP": how the destination is delivered to. */
export function DestinationTypeBadge({ type }: { type: DestinationType }) {
  return (
    <span data-testid="destination-type-badge">
      <Badge tone={type === 'http' ? 'slate' : 'indigo'}>{DESTINATION_TYPE_INFO[type].label}</Badge>
    </span>
  );
}
