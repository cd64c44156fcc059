import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import {
  decodeStandardSecret,
  parseSignatureHeader,
  signatureMatches,
  signedContent,
  standardWebhooksHeaders,
} from '@/lib/providers/standard-webhooks-signature';

const OLD = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NEW = 'whsec_dGhpcyBpcyBub3QgdGhlIHNlY3JldCBrZXk=';
const body = Buffer.from('{"type":"invoice.paid","data":{"id":"inv_1"}}');

describe('Standard Webhooks, signing and verifying in one module', () => {
  it('signs forwards that the standardwebhooks package accepts, under each active secret', () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = standardWebhooksHeaders({ id: 'msg_1', timestamp, body, secrets: [NEW, OLD] });
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    // A receiver that knows only one of the two secrets accepts the forward.
    expect(new Webhook(OLD).verify(body.toString(), headers)).toEqual(JSON.parse(body.toString()));
    expect(new Webhook(NEW).verify(body.toString(), headers)).toEqual(JSON.parse(body.toString()));
  });

  it('verifies what it signs, and only under the right key and content', () => {
    const headers = standardWebhooksHeaders({ id: 'msg_2', timestamp: 1_700_000_000, body, secrets: [OLD] });
    const entries = parseSignatureHeader(headers['webhook-signature']!);
    const content = signedContent('msg_2', '1700000000', body);
    expect(signatureMatches(decodeStandardSecret(OLD)!, content, entries)).toBe(true);
    expect(signatureMatches(decodeStandardSecret(NEW)!, content, entries)).toBe(false);
    expect(signatureMatches(decodeStandardSecret(OLD)!, signedContent('msg_2', '1700000001', body), entries)).toBe(false);
  });

  it("reads v1 and v1a entries from a header, ignoring unknown versions and a repeated header's commas", () => {
    const entries = parseSignatureHeader('v1,AAAA v2,BBBB, v1a,CCCC garbage');
    expect(entries.v1).toHaveLength(1);
    expect(entries.v1a).toHaveLength(1);
  });
});
