/**
 * GitLab has no signing library: its webhooks carry the configured secret token verbatim in
 * X-Gitlab-Token (https://docs.gitlab.com/user/project/integrations/webhooks/#validate-requests-with-a-secret-token).
 */
import { describe, expect, it } from 'vitest';
import { gitlab } from '@/lib/providers/gitlab';
import { FAIL, OK, makeRequest, parsed, secrets, verify, withChanges } from './helpers';

const TOKEN = 'glwht-2f7c3bd1e0a94d8c';
const OTHER = 'glwht-0000000000000000';
const payload = JSON.stringify({ object_kind: 'push', event_name: 'push', ref: 'refs/heads/main', project: { id: 15, path_with_namespace: 'mike/diaspora' } });

function request(token: string | null = TOKEN, extra: Record<string, string> = {}) {
  return makeRequest({
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': 'Push Hook',
      'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
      'idempotency-key': 'f5a2b5e4-3a3c-4a4e-9d9b-6b9a0d9a1c11',
      ...(token === null ? {} : { 'x-gitlab-token': token }),
      ...extra,
    },
    body: payload,
  });
}

describe('gitlab preset', () => {
  it('accepts the configured token', () => {
    expect(verify(gitlab, request(), secrets(TOKEN))).toEqual(OK('first'));
  });

  it('rejects a wrong token, a prefix or extension of it, and a missing header', () => {
    expect(verify(gitlab, request(OTHER), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(gitlab, request(TOKEN.slice(0, -1)), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(gitlab, request(`${TOKEN}x`), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(gitlab, request(` ${TOKEN}`), secrets(TOKEN))).toEqual(FAIL('bad_signature'));
    expect(verify(gitlab, request(null), secrets(TOKEN))).toEqual(FAIL('missing_header'));
    expect(verify(gitlab, request(), [])).toEqual(FAIL('unknown_secret'));
  });

  it('matches the second of two tokens (rotation)', () => {
    expect(verify(gitlab, request(), secrets(OTHER, TOKEN))).toEqual(OK('second'));
  });

  it('dedups on Idempotency-Key, then X-Gitlab-Event-UUID; types by X-Gitlab-Event', () => {
    const r = request();
    expect(gitlab.dedupKey(r, parsed(r))).toBe('f5a2b5e4-3a3c-4a4e-9d9b-6b9a0d9a1c11');
    const old = withChanges(r, { dropHeaders: ['idempotency-key'] });
    expect(gitlab.dedupKey(old, parsed(old))).toBe('13792a34-cac6-4fda-95a8-c58e00a3954e');
    expect(gitlab.eventType(r, parsed(r))).toBe('Push Hook');
  });

  it('produces a sample carrying the token that the preset accepts', () => {
    const sample = gitlab.sampleRequest(TOKEN, 'https://h.example.com/x', new Date(), {})!;
    expect(sample.headers['x-gitlab-token']).toBe(TOKEN);
    const r = makeRequest({ headers: sample.headers, body: sample.body });
    expect(verify(gitlab, r, secrets(TOKEN))).toEqual(OK('first'));
    expect(gitlab.eventType(r, parsed(r))).toBe('Merge Request Hook');
    expect(gitlab.dedupKey(r, parsed(r))).toBe(sample.headers['idempotency-key']);
  });
});
