/**
 * One classification of failures into AttemptErrorKind for every transport: the socket-level
 * codes shared by HTTP and brokers, then each broker's own answers for `auth` and `no_route`.
 */
import { BLOCKED_ADDRESS_CODE } from '@/lib/destinations/url-safety';
import type { SendErrorKind } from './transport';

function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_CONNECT') return code;
    const name = (current as { name?: unknown }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT';
    current = (current as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

export function classifyError(error: unknown): SendErrorKind {
  const code = errorCode(error);
  if (code === BLOCKED_ADDRESS_CODE) return 'blocked_url';
  if (
    code === 'TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'ETIMEDOUT' ||
    code === 'CONNECTION_TIMEOUT'
  )
    return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code === 'ECONNREFUSED' || code === 'CONNECTION_REFUSED') return 'refused';
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_CLOSED' ||
    code === 'CONNECTION_CLOSED' ||
    code === 'DISCONNECT'
  )
    return 'reset';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'TLS' || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO/.test(code)) return 'tls';
  if (code === 'AUTHORIZATION_VIOLATION' || code === 'PERMISSIONS_VIOLATION' || code === 'AUTHENTICATION_EXPIRED' || code === 'BAD_AUTHENTICATION')
    return 'auth';
  const message = error instanceof Error ? error.message : String(error);
  // RabbitMQ: 403 ACCESS_REFUSED (bad login or no permission); Redis: WRONGPASS / NOAUTH / NOPERM,
  // and "ERR AUTH <password> called without any password configured…", a Redis without a password
  // refusing one (a credential the server does not expect: fixed in the URL, as a wrong one is).
  if (/ACCESS[-_]REFUSED|WRONGPASS|NOAUTH|NOPERM|invalid username-password|AUTH <password> called without any password configured/i.test(message))
    return 'auth';
  if (/NOT[-_]FOUND - no exchange|NO_ROUTE|no responders|no stream matches subject/i.test(message) || code === '503' || code === 'NO_ROUTE') return 'no_route';
  if (/socket closed unexpectedly|Socket closed|connection closed|ECONNRESET/i.test(message)) return 'reset';
  return 'other';
}
