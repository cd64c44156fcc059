import { expect } from 'vitest';
import { parseBody } from '@/lib/providers/parse';
import type { IncomingWebhook, ParsedBody, ProviderPreset, VerificationSecret, VerifyResult } from '@/lib/providers/types';

export interface RequestInit {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body: string | Buffer;
  receivedAt?: Date;
}

/** An IncomingWebhook as the ingest route builds it: header names lower-cased, raw body bytes. */
export function makeRequest(init: RequestInit): IncomingWebhook {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: init.method ?? 'POST',
    url: init.url ?? 'https://hooks.example.com/api/ingest/test-source',
    headers,
    rawBody: Buffer.isBuffer(init.body) ? init.body : Buffer.from(init.body, 'utf8'),
    receivedAt: init.receivedAt ?? new Date(),
  };
}

export function parsed(request: IncomingWebhook): ParsedBody {
  return parseBody(request.rawBody, request.headers['content-type']);
}

export function secrets(...values: string[]): VerificationSecret[] {
  const names = ['first', 'second', 'third', 'fourth'];
  return values.map((value, i) => ({ id: names[i] ?? `s${i}`, value }));
}

export function verify<S>(preset: ProviderPreset<S>, request: IncomingWebhook, secretList: VerificationSecret[], settings: unknown = {}): VerifyResult {
  return preset.verify(request, secretList, preset.settingsSchema.parse(settings));
}

/** Same request with one thing changed. */
export function withChanges(
  request: IncomingWebhook,
  changes: Partial<IncomingWebhook> & { setHeaders?: Record<string, string>; dropHeaders?: string[] },
): IncomingWebhook {
  const headers = { ...request.headers, ...(changes.setHeaders ?? {}) };
  for (const name of changes.dropHeaders ?? []) delete headers[name.toLowerCase()];
  const { setHeaders: _s, dropHeaders: _d, ...rest } = changes;
  return { ...request, ...rest, headers };
}

export function tamper(body: string): string {
  // change one amount-like digit, keep the length
  const i = body.search(/\d/);
  if (i < 0) return body + ' ';
  const digit = body[i] === '9' ? '8' : String(Number(body[i]) + 1);
  return body.slice(0, i) + digit + body.slice(i + 1);
}

export const OK = (secretId: string | null) => ({ ok: true, secretId });
export const FAIL = (reason: string) => expect.objectContaining({ ok: false, reason });
