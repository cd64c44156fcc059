/**
 * How a failure reads to a person: "HTTP 500", "Connection refused: connect ECONNREFUSED …".
 * Pure, so both the server pages and the client components use it.
 */

const KIND_LABELS: Record<string, string> = {
  http_status: 'HTTP error',
  timeout: 'Timed out',
  dns: 'DNS lookup failed',
  refused: 'Connection refused',
  tls: 'TLS error',
  reset: 'Connection reset',
  blocked_url: 'Blocked address',
  other: 'Other error',
  worker_lost: 'Worker lost',
  auth: 'Broker refused the credentials',
  no_route: 'Broker had no route',
  transform_error: 'Transform error',
  unknown: 'Unknown error',
};

export function errorKindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind.replaceAll('_', ' ');
}

/** What a status code usually means, to save a look-up. */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export function statusText(code: number): string | null {
  return STATUS_TEXT[code] ?? null;
}

export function failureTitle(key: { errorKind: string; statusCode: number | null; messagePrefix: string | null }): string {
  if (key.statusCode !== null) {
    const text = statusText(key.statusCode);
    return text ? `HTTP ${key.statusCode} ${text}` : `HTTP ${key.statusCode}`;
  }
  return errorKindLabel(key.errorKind);
}

/** The stored `last_error` is "kind: message"; the message part alone. */
export function errorMessageOf(lastError: string | null): string | null {
  if (!lastError) return null;
  const colon = lastError.indexOf(':');
  return (colon >= 0 ? lastError.slice(colon + 1) : lastError).trim() || null;
}
