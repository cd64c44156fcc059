/**
 * What of a webhook's headers is stored with its event, and so what can ever be forwarded. Our
 * own client-address stamp and cookies are not stored at all (providers send no cookies; a
 * browser's would carry someone's dashboard session to every reader). A header that carries the
 * source's secret itself (its provider declares which: ProviderPreset.secretHeaders) is stored by
 * name with a placeholder instead of its value, so the event shows it was there; the worker never
 * forwards a header holding the placeholder (events stored before the providers declared their
 * headers hold the same placeholder, so they are covered too).
 */
export const SECRET_PLACEHOLDER = '[redacted]';

const NOT_STORED = new Set(['x-hookyard-client-ip', 'cookie']);

/** `headers` (lower-case names) as they are stored. */
export function storedHeaders(headers: Record<string, string>, secretHeaders: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (NOT_STORED.has(name)) continue;
    result[name] = secretHeaders.includes(name) ? SECRET_PLACEHOLDER : value;
  }
  return result;
}

/** A stored header that stands for a secret, which is never forwarded. */
export function isSecretPlaceholder(value: string): boolean {
  return value === SECRET_PLACEHOLDER;
}
