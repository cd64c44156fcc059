import { generateKeyPairSync, sign } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { describe, expect, it } from 'vitest';
import { sendgrid } from '@/lib/providers/sendgrid';
import { FAIL, OK, makeRequest, parsed, secrets, verify, withChanges } from './helpers';

// A real SendGrid-signed request, from the test vectors shipped with @sendgrid/eventwebhook.
const PUBLIC_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==';
const SIGNATURE = 'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM=';
const TIMESTAMP = '1600112502';
const PAYLOAD =
  JSON.stringify([
    {
      email: 'hello@world.com',
      event: 'dropped',
      reason: 'Bounced Address',
      sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
      sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
      'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
      timestamp: 1600112492,
    },
  ]) + '\r\n';

const lib = new EventWebhook();
const libraryAccepts = (publicKey: string, body: string, signature: string, timestamp: string) =>
  lib.verifySignature(lib.convertPublicKeyToECDSA(publicKey), body, signature, timestamp);

function request(body = PAYLOAD, signature = SIGNATURE, timestamp = TIMESTAMP, receivedAt = new Date(Number(TIMESTAMP) * 1000 + 5000)) {
  return makeRequest({
    headers: {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-signature': signature,
      'x-twilio-email-event-webhook-timestamp': timestamp,
    },
    body,
    receivedAt,
  });
}

function otherKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'), privateKey };
}

describe('sendgrid preset', () => {
  it('verifies a real SendGrid-signed request (ECDSA P-256 over timestamp + body) that the library verifies', () => {
    expect(libraryAccepts(PUBLIC_KEY, PAYLOAD, SIGNATURE, TIMESTAMP)).toBe(true);
    expect(verify(sendgrid, request(), secrets(PUBLIC_KEY))).toEqual(OK('first'));
  });

  it('accepts the key in PEM form too', () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${PUBLIC_KEY.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    expect(verify(sendgrid, request(), secrets(pem))).toEqual(OK('first'));
  });

  it('rejects a changed body (even the trailing CRLF), a changed timestamp, another key, missing headers', () => {
    const trimmed = PAYLOAD.trimEnd();
    expect(libraryAccepts(PUBLIC_KEY, trimmed, SIGNATURE, TIMESTAMP)).toBe(false);
    expect(verify(sendgrid, request(trimmed), secrets(PUBLIC_KEY))).toEqual(FAIL('bad_signature'));
    expect(verify(sendgrid, request(PAYLOAD, SIGNATURE, '1600112503'), secrets(PUBLIC_KEY))).toEqual(FAIL('bad_signature'));
    expect(verify(sendgrid, request(), secrets(otherKey().publicKey))).toEqual(FAIL('bad_signature'));
    expect(verify(sendgrid, request(), secrets('not a key'))).toEqual(FAIL('bad_signature'));
    for (const h of ['x-twilio-email-event-webhook-signature', 'x-twilio-email-event-webhook-timestamp']) {
      expect(verify(sendgrid, withChanges(request(), { dropHeaders: [h] }), secrets(PUBLIC_KEY))).toEqual(FAIL('missing_header'));
    }
  });

  it('matches the second of two keys', () => {
    expect(verify(sendgrid, request(), secrets(otherKey().publicKey, PUBLIC_KEY))).toEqual(OK('second'));
  });

  it('accepts a request signed with node:crypto that the library also accepts', () => {
    const key = otherKey();
    const ts = String(Math.floor(Date.now() / 1000));
    const body =
      '[{"email":"a@example.com","event":"delivered","sg_event_id":"ZGVsaXZlcmVk"},{"email":"a@example.com","event":"open","sg_event_id":"b3Blbg"}]\r\n';
    const sig = sign('sha256', Buffer.from(ts + body), key.privateKey).toString('base64');
    expect(libraryAccepts(key.publicKey, body, sig, ts)).toBe(true);
    const r = request(body, sig, ts, new Date());
    expect(verify(sendgrid, r, secrets(key.publicKey))).toEqual(OK('first'));
    expect(sendgrid.dedupKey(r, parsed(r))).toBe('ZGVsaXZlcmVk,b3Blbg'.split(',').sort().join(','));
    expect(sendgrid.eventType(r, parsed(r))).toBe('delivered,open');
  });

  it('has no timestamp window by default, but can enforce one', () => {
    const late = request(PAYLOAD, SIGNATURE, TIMESTAMP, new Date(Number(TIMESTAMP) * 1000 + 3_600_000));
    expect(verify(sendgrid, late, secrets(PUBLIC_KEY))).toEqual(OK('first'));
    expect(verify(sendgrid, late, secrets(PUBLIC_KEY), { toleranceSeconds: 600 })).toEqual(FAIL('stale_timestamp'));
    const early = request(PAYLOAD, SIGNATURE, TIMESTAMP, new Date(Number(TIMESTAMP) * 1000 - 3_600_000));
    expect(verify(sendgrid, early, secrets(PUBLIC_KEY), { toleranceSeconds: 600 })).toEqual(FAIL('stale_timestamp'));
  });

  it('dedups on the sg_event_ids and types by event', () => {
    const r = request();
    expect(sendgrid.dedupKey(r, parsed(r))).toBe('ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA');
    expect(sendgrid.eventType(r, parsed(r))).toBe('dropped');
  });

  it('cannot produce a sample: only SendGrid holds the private key', () => {
    expect(sendgrid.sampleRequest(PUBLIC_KEY, 'https://h.example.com/x', new Date(), { toleranceSeconds: 0 })).toBeNull();
  });
});
