import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { verifyKey } from 'discord-interactions';
import { describe, expect, it } from 'vitest';
import { discord } from '@/lib/providers/discord';
import { FAIL, OK, makeRequest, parsed, secrets, tamper, verify, withChanges } from './helpers';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
  return { hex, privateKey };
}
const app = keyPair();
const other = keyPair();

const interaction = JSON.stringify({
  type: 2,
  id: '1180000000000000001',
  application_id: '1170000000000000000',
  token: 'aW50ZXJhY3Rpb24',
  version: 1,
  data: { id: '1', name: 'deploy', type: 1 },
});

/** Discord signs timestamp + body with the app's Ed25519 private key; here we hold a test key. */
function signed(body = interaction, privateKey: KeyObject = app.privateKey, timestamp = String(Math.floor(Date.now() / 1000))) {
  const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
  return makeRequest({
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
    body,
  });
}
const libraryAccepts = (r: ReturnType<typeof signed>, publicKey = app.hex) =>
  verifyKey(r.rawBody, r.headers['x-signature-ed25519']!, r.headers['x-signature-timestamp']!, publicKey);

describe('discord preset', () => {
  it('accepts a request that discord-interactions verifyKey accepts', async () => {
    const request = signed();
    expect(await libraryAccepts(request)).toBe(true);
    expect(verify(discord, request, secrets(app.hex))).toEqual(OK('first'));
  });

  it('rejects a tampered body, a changed timestamp, another key, missing and malformed headers', async () => {
    const request = signed();
    const tampered = withChanges(request, { rawBody: Buffer.from(tamper(interaction)) });
    expect(await libraryAccepts(tampered)).toBe(false);
    expect(verify(discord, tampered, secrets(app.hex))).toEqual(FAIL('bad_signature'));
    const retimed = withChanges(request, { setHeaders: { 'x-signature-timestamp': '1' } });
    expect(await libraryAccepts(retimed)).toBe(false);
    expect(verify(discord, retimed, secrets(app.hex))).toEqual(FAIL('bad_signature'));
    expect(await libraryAccepts(request, other.hex)).toBe(false);
    expect(verify(discord, request, secrets(other.hex))).toEqual(FAIL('bad_signature'));
    expect(verify(discord, request, secrets('not-a-key'))).toEqual(FAIL('bad_signature'));
    expect(verify(discord, withChanges(request, { dropHeaders: ['x-signature-ed25519'] }), secrets(app.hex))).toEqual(FAIL('missing_header'));
    expect(verify(discord, withChanges(request, { dropHeaders: ['x-signature-timestamp'] }), secrets(app.hex))).toEqual(FAIL('missing_header'));
    expect(verify(discord, withChanges(request, { setHeaders: { 'x-signature-ed25519': 'abcd' } }), secrets(app.hex))).toEqual(FAIL('malformed_header'));
  });

  it('matches the second of two public keys', () => {
    expect(verify(discord, signed(), secrets(other.hex, app.hex))).toEqual(OK('second'));
  });

  it('has no timestamp window by default (Discord documents none), but can enforce one both ways', () => {
    const nowS = Math.floor(Date.now() / 1000);
    const old = signed(interaction, app.privateKey, String(nowS - 3600));
    const future = signed(interaction, app.privateKey, String(nowS + 3600));
    expect(verify(discord, old, secrets(app.hex))).toEqual(OK('first'));
    expect(verify(discord, old, secrets(app.hex), { toleranceSeconds: 300 })).toEqual(FAIL('stale_timestamp'));
    expect(verify(discord, future, secrets(app.hex), { toleranceSeconds: 300 })).toEqual(FAIL('stale_timestamp'));
    expect(verify(discord, signed(), secrets(app.hex), { toleranceSeconds: 300 })).toEqual(OK('first'));
  });

  it('answers the endpoint PINGs: interactions with {"type":1}, webhook events with 204', () => {
    const ping = signed(JSON.stringify({ type: 1, id: '1', application_id: '2', token: 't', version: 1 }));
    const pong = discord.handshake!(ping, parsed(ping), null);
    expect(pong).toMatchObject({ status: 200 });
    expect(JSON.parse(pong!.body)).toEqual({ type: 1 });
    const eventPing = signed(JSON.stringify({ version: 1, application_id: '2', type: 0 }));
    expect(discord.handshake!(eventPing, parsed(eventPing), null)).toEqual({ status: 204, headers: {}, body: '' });
    const command = signed();
    expect(discord.handshake!(command, parsed(command), null)).toBeNull();
  });

  it('dedups interactions on id and types them; webhook events are typed by event.type', () => {
    const command = signed();
    expect(discord.dedupKey(command, parsed(command))).toBe('1180000000000000001');
    expect(discord.eventType(command, parsed(command))).toBe('APPLICATION_COMMAND:deploy');
    const event = signed(
      JSON.stringify({ version: 1, application_id: '2', type: 1, event: { type: 'APPLICATION_AUTHORIZED', timestamp: '2026-11-27T12:00:00Z', data: {} } }),
    );
    expect(discord.eventType(event, parsed(event))).toBe('APPLICATION_AUTHORIZED');
    expect(discord.dedupKey(event, parsed(event))).toBeNull();
  });

  it('cannot produce a sample: only Discord holds the private key', () => {
    expect(discord.sampleRequest(app.hex, 'https://h.example.com/x', new Date(), { toleranceSeconds: 0 })).toBeNull();
  });
});
