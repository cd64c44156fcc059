import { createHmac } from 'node:crypto';
import { sign, verify as octokitVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { github } from '@/lib/providers/github';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

const SECRET = "It's a Secret to Everybody";
const OTHER = 'not the secret';
const payload = JSON.stringify({ action: 'opened', number: 7, pull_request: { id: 1, title: 'Fix' }, repository: { full_name: 'o/r' } });

async function signed(body = payload, secret = SECRET) {
  return makeRequest({
    headers: {
      'X-Hub-Signature-256': await sign(secret, body),
      'X-GitHub-Event': 'pull_request',
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'content-type': 'application/json',
    },
    body,
  });
}

describe('github preset', () => {
  it("matches GitHub's documented example signature", () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
    const request = makeRequest({
      headers: { 'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
      body: 'Hello, World!',
    });
    expect(verify(github, request, secrets(SECRET))).toEqual(OK('first'));
  });

  it('accepts a request signed by @octokit/webhooks-methods', async () => {
    expect(verify(github, await signed(), secrets(SECRET))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a wrong secret, a missing or malformed header', async () => {
    const request = await signed();
    expect(verify(github, withChanges(request, { rawBody: Buffer.from(tamper(payload)) }), secrets(SECRET))).toEqual(FAIL('bad_signature'));
    expect(verify(github, request, secrets(OTHER))).toEqual(FAIL('bad_signature'));
    expect(verify(github, withChanges(request, { dropHeaders: ['x-hub-signature-256'] }), secrets(SECRET))).toEqual(FAIL('missing_header'));
    const hex = request.headers['x-hub-signature-256']!.slice('sha256='.length);
    expect(verify(github, withChanges(request, { setHeaders: { 'x-hub-signature-256': hex } }), secrets(SECRET))).toEqual(FAIL('malformed_header'));
  });

  it('matches the second of two secrets', async () => {
    expect(verify(github, await signed(), secrets(OTHER, SECRET))).toEqual(OK('second'));
  });

  it('accepts the legacy sha1 header only when enabled', async () => {
    const request = withChanges(await signed(), {
      dropHeaders: ['x-hub-signature-256'],
      setHeaders: { 'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(payload).digest('hex')}` },
    });
    expect(verify(github, request, secrets(SECRET))).toEqual(FAIL('missing_header'));
    expect(verify(github, request, secrets(SECRET), { allowSha1: true })).toEqual(OK('first'));
  });

  it('uses X-GitHub-Delivery as dedup key and event.action as event type', async () => {
    const request = await signed();
    expect(github.dedupKey(request, parsed(request))).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(github.eventType(request, parsed(request))).toBe('pull_request.opened');
    const push = withChanges(await signed('{"ref":"refs/heads/main"}'), { setHeaders: { 'x-github-event': 'push' } });
    expect(github.eventType(push, parsed(push))).toBe('push');
  });

  it('produces a sample that @octokit/webhooks-methods and the preset accept', async () => {
    const sample = github.sampleRequest(SECRET, 'https://h.example.com/x', new Date(), github.settingsSchema.parse({}))!;
    expect(await octokitVerify(SECRET, sample.body, sample.headers['x-hub-signature-256']!)).toBe(true);
    const request = makeRequest({ headers: sample.headers, body: sample.body });
    expect(verify(github, request, secrets(SECRET))).toEqual(OK('first'));
    expect(github.eventType(request, parsed(request))).toBe('pull_request.opened');
    expect(github.dedupKey(request, parsed(request))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
