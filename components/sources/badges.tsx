import { Badge } from '@/components/ui/card';

export function SourceStatusBadge({ status }: { status: string }) {
  return status === 'active' ? <Badge tone="green">Active</Badge> : <Badge>Disabled</Badge>;
}

const SECRET_STATUS = {
  active: { tone: 'green', text: 'Active' },
  expiring: { tone: 'amber', text: 'Expiring' },
  expired: { tone: 'slate', text: 'Expired' },
  revoked: { tone: 'red', text: 'Revoked' },
} as const;

export function SecretStatusBadge({ status }: { status: keyof typeof SECRET_STATUS }) {
  const { tone, text } = SECRET_STATUS[status];
  return <Badge tone={tone}>{text}</Badge>;
}

/** Why the ingest path refused a request, in words (the codes are what lib/ingest records). */
export const REJECTION_REASONS: Record<string, string> = {
  bad_signature: 'Bad signature',
  missing_header: 'Missing signature header',
  malformed_header: 'Malformed signature header',
  stale_timestamp: 'Stale timestamp',
  unknown_secret: 'No active secret',
  expired_secret: 'Expired secret',
  ip_not_allowed: 'IP not allowed',
  too_large: 'Too large',
};

export function RejectionReasonBadge({ reason }: { reason: string }) {
  return <Badge tone={reason === 'too_large' ? 'amber' : 'red'}>{REJECTION_REASONS[reason] ?? reason.replaceAll('_', ' ')}</Badge>;
}
