/** What a sender reports: delivered, or why not, in words safe to show (never the channel's URL or a secret). */
import type { SendErrorKind } from '@/lib/worker/send-delivery';

/**
 * How a send can fail: the worker's HTTP kinds (http_status, timeout, dns, refused, tls, reset,
 * blocked_url, other), `smtp` (the mail server refused or could not be reached), `not_configured`
 * (an email channel without HOOKYARD_SMTP_URL / HOOKYARD_EMAIL_FROM) and `no_secret` (a webhook
 * channel whose signing secret was revoked).
 */
export type NotificationErrorKind = SendErrorKind | 'smtp' | 'not_configured' | 'no_secret';

export type SendResult = { ok: true; status: number | null } | { ok: false; status: number | null; errorKind: NotificationErrorKind; error: string };

export const delivered = (status: number | null = null): SendResult => ({ ok: true, status });
export const notDelivered = (errorKind: NotificationErrorKind, error: string, status: number | null = null): SendResult => ({
  ok: false,
  status,
  errorKind,
  error: error.slice(0, 500),
});

/** `http_status: HTTP 500`: the form kept in last_error and shown in the history. */
export const describeFailure = (result: SendResult): string | null => (result.ok ? null : `${result.errorKind}: ${result.error}`);
