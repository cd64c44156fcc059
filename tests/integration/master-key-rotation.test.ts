/**
 * `npm run secrets:rotate-key` against a real database holding every kind of encrypted value:
 * source verification secrets (v2 and the old v1 layout), destination signing secrets, a broker
 * destination's URL password, a notification channel's URL and its signing secret. The processes
 * are "restarted" with HOOKYARD_MASTER_KEY=new and HOOKYARD_MASTER_KEY_PREVIOUS=old, the rotation
 * is interrupted halfway and resumed, and then, with the old key gone, every value still decrypts
 * to what it was, ingest still verifies a Stripe signature and the worker still signs forwards.
 */
import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import Stripe from 'stripe';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetConfigForTests } from '@/lib/config/env';
import { encryptUrlPassword, fullUrl } from '@/lib/destinations/broker-url';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { closeSql, sql } from '@/lib/db/sql';
import { ENCRYPTED_COLUMNS } from '@/lib/secrets/encrypted-columns';
import { decryptSecret, encryptSecret, isEncryptedUnder, maskSecret } from '@/lib/secrets/encryption';
import { UndecryptableRowsError, rotateMasterKey } from '@/lib/secrets/rotate-master-key';
import { DeliveryWorker } from '@/lib/worker/delivery-worker';
import { addSigningSecret, configChanged, createTestDestination, createTestRoute, createTestSource } from '../support/fixtures';
import { startIngestServer } from '../support/ingest-server';
import { type Sink, startSink } from '../support/sink';
import { recordedTo, waitForEvent } from '../support/worker-events';

const run = promisify(execFile);
const stripe = new Stripe('sk_test_unused');
const STRIPE_SECRET = 'whsec_rotation_test_secret_0123456789';
const oldKey = Buffer.from(process.env.HOOKYARD_MASTER_KEY!, 'base64');
const newKey = randomBytes(32);
const strangerKey = randomBytes(32);

/** The v1 layout, as rows written before key ids existed hold it. */
function encryptV1(aad: string, value: string, key: Buffer): Uint8Array<ArrayBuffer> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), ciphertext]));
}

function useKeys(current: Buffer, previous: Buffer[]) {
  process.env.HOOKYARD_MASTER_KEY = current.toString('base64');
  if (previous.length > 0) process.env.HOOKYARD_MASTER_KEY_PREVIOUS = previous.map((key) => key.toString('base64')).join(',');
  else delete process.env.HOOKYARD_MASTER_KEY_PREVIOUS;
  resetConfigForTests();
}

interface Stored {
  table: string;
  id: string;
  value: Buffer;
}

/** Every encrypted value in the database, straight from the registered columns. */
async function storedValues(): Promise<Stored[]> {
  const all: Stored[] = [];
  for (const column of ENCRYPTED_COLUMNS) {
    const rows = await db().$queryRawUnsafe<{ id: string; value: Uint8Array }[]>(
      `SELECT id::text AS id, "${column.column}" AS value FROM "${column.table}" WHERE "${column.column}" IS NOT NULL ORDER BY id`,
    );
    all.push(...rows.map((row) => ({ table: column.table, id: row.id, value: Buffer.from(row.value) })));
  }
  return all;
}

function plaintextsOf(rows: Stored[], keys: { current: Buffer; previous: Buffer[] }): Map<string, string> {
  const aadOf = (table: string) => ENCRYPTED_COLUMNS.find((column) => column.table === table)!.aad;
  return new Map(rows.map((row) => [`${row.table}:${row.id}`, decryptSecret(aadOf(row.table)(row.id), row.value, keys)]));
}

let sourceSlug: string;
let signingDestinationId: string;
let signingSecret: string;
let brokerId: string;
let expected: Map<string, string>;

beforeAll(async () => {
  // Written by processes that only knew the old key.
  const { source } = await createTestSource({ provider: 'stripe', secrets: [{ value: STRIPE_SECRET }] });
  sourceSlug = source.slug;
  const legacyId = newId();
  await db().secret.create({ data: { id: legacyId, sourceId: source.id, ciphertext: encryptV1(legacyId, 'whsec_legacy_v1_value', oldKey), hint: 'whsec_…' } });
  for (let i = 0; i < 120; i++) {
    const id = newId();
    const value = `whsec_bulk_${i}_${randomBytes(8).toString('hex')}`;
    await db().secret.create({
      data: { id, sourceId: source.id, ciphertext: i % 3 === 0 ? encryptV1(id, value, oldKey) : encryptSecret(id, value), hint: maskSecret(value) },
    });
  }
  const signing = await createTestDestination({ url: 'http://127.0.0.1:9/unused' });
  signingDestinationId = signing.id;
  signingSecret = await addSigningSecret(signing.id);
  brokerId = newId();
  await db().destination.create({
    data: { id: brokerId, name: 'broker', url: 'amqp://hookyard@127.0.0.1:5672/', urlPassword: encryptUrlPassword(brokerId, 'broker p@ss:word') },
  });
  const channelId = newId();
  await db().notificationChannel.create({
    data: {
      id: channelId,
      name: 'ops',
      type: 'webhook',
      kinds: [],
      urlCiphertext: encryptSecret(channelId, 'https://hooks.slack.example/T000/B000/XXXX'),
      urlHint: 'https://…',
    },
  });
  const channelSecretId = newId();
  await db().secret.create({ data: { id: channelSecretId, channelId, ciphertext: encryptSecret(channelSecretId, 'whsec_channel_signing'), hint: 'whsec_…' } });
  await configChanged();
  expected = plaintextsOf(await storedValues(), { current: oldKey, previous: [] });
  expect(expected.size).toBe(1 + 1 + 120 + 1 + 1 + 1 + 1);
});

afterAll(async () => {
  useKeys(oldKey, []);
  await closeSql();
  await db().$disconnect();
});

describe('master key rotation (npm run secrets:rotate-key)', () => {
  it('registers columns that exist in the database as bytea', async () => {
    for (const column of ENCRYPTED_COLUMNS) {
      const [row] = await db().$queryRaw<{ data_type: string }[]>`
        SELECT data_type FROM information_schema.columns WHERE table_name = ${column.table} AND column_name = ${column.column}`;
      expect(row?.data_type, `${column.table}.${column.column}`).toBe('bytea');
    }
  });

  it('refuses, writing nothing, when a stored value is under no known key', async () => {
    const { source } = await createTestSource({ provider: 'stripe' });
    const strangerId = newId();
    await db().secret.create({ data: { id: strangerId, sourceId: source.id, ciphertext: encryptSecret(strangerId, 'whsec_lost', strangerKey), hint: 'x' } });
    const before = await storedValues();
    const error = await rotateMasterKey({ keys: { current: newKey, previous: [oldKey] }, batchSize: 25 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UndecryptableRowsError);
    expect((error as Error).message).toContain(strangerId);
    expect((error as Error).message).toContain('Nothing was re-encrypted');
    expect(await storedValues()).toEqual(before);
    await db().source.delete({ where: { id: source.id } });
  });

  it('keeps every value readable while interrupted halfway, then finishes where it stopped', async () => {
    // Step 1 of the procedure: every process restarts with the new key and the old one as previous.
    useKeys(newKey, [oldKey]);
    await configChanged();
    const both = { current: newKey, previous: [oldKey] };

    let batches = 0;
    const interrupted = await rotateMasterKey({
      batchSize: 25,
      onBatch: () => {
        if (++batches === 2) throw new Error('interrupted');
      },
    }).catch((e: unknown) => e);
    expect((interrupted as Error).message).toBe('interrupted');
    const halfway = await storedValues();
    const underNew = halfway.filter((row) => isEncryptedUnder(row.value, newKey)).length;
    expect(underNew).toBe(50);
    expect(halfway.length - underNew).toBeGreaterThan(0);
    // Old and new rows both decrypt, with the keys the restarted processes have.
    expect(plaintextsOf(halfway, both)).toEqual(expected);

    // Resumed: only what was left is done.
    const report = await rotateMasterKey({ batchSize: 25 });
    const reencrypted = report.reduce((sum, entry) => sum + entry.reencrypted, 0);
    expect(reencrypted).toBe(expected.size - 50);
    expect(report.find((entry) => entry.table === 'secrets')).toMatchObject({ total: expected.size - 2, alreadyCurrent: 50 });
    expect(report.find((entry) => entry.table === 'destinations')).toMatchObject({ total: 1, reencrypted: 1 });
    expect(report.find((entry) => entry.table === 'notification_channels')).toMatchObject({ total: 1, reencrypted: 1 });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'master_key.rotate' }, orderBy: { createdAt: 'desc' } });
    expect(audit.actorType).toBe('system');
    expect(JSON.stringify(audit)).not.toContain(newKey.toString('base64'));

    // Step 3: the old key is dropped. Everything is under the new key alone, unchanged.
    useKeys(newKey, []);
    const after = await storedValues();
    expect(after.every((row) => isEncryptedUnder(row.value, newKey))).toBe(true);
    expect(plaintextsOf(after, { current: newKey, previous: [] })).toEqual(expected);
    expect(after.some((row) => isEncryptedUnder(row.value, oldKey))).toBe(false);
    expect(() => plaintextsOf(after, { current: oldKey, previous: [] })).toThrow(/cannot be decrypted/);
    const broker = await db().destination.findUniqueOrThrow({ where: { id: brokerId }, select: { url: true, urlPassword: true } });
    expect(fullUrl(brokerId, broker.url, broker.urlPassword)).toBe(`amqp://hookyard:${encodeURIComponent('broker p@ss:word')}@127.0.0.1:5672/`);
  });

  it('writes nothing when run again', async () => {
    const before = await storedValues();
    const report = await rotateMasterKey({ batchSize: 25 });
    expect(report.every((entry) => entry.reencrypted === 0 && entry.alreadyCurrent === entry.total)).toBe(true);
    expect(await storedValues()).toEqual(before);
  });

  it('skips a row another transaction holds, and comes back for it once it is free', async () => {
    const { source } = await createTestSource({ provider: 'stripe' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const id = newId();
      ids.push(id);
      await db().secret.create({ data: { id, sourceId: source.id, ciphertext: encryptSecret(id, `whsec_locked_${i}`, oldKey), hint: 'x' } });
    }
    const keys = { current: newKey, previous: [oldKey] };
    const holdLock = (ms: number) =>
      sql().begin(async (tx) => {
        await tx`SELECT id FROM secrets WHERE id = ${ids[1]!}::uuid FOR UPDATE`;
        await new Promise((resolve) => setTimeout(resolve, ms));
      });

    // Held throughout a one-pass run: the other rows are done, the run fails and says why.
    const held = holdLock(1500);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await expect(rotateMasterKey({ keys, maxPasses: 1 })).rejects.toThrow(/1 row\(s\) of secrets\.ciphertext stayed locked/);
    await held;
    const underNew = async () =>
      (await db().secret.findMany({ where: { id: { in: ids } }, select: { id: true, ciphertext: true } })).map((row): [string, boolean] => [
        row.id,
        isEncryptedUnder(row.ciphertext, newKey),
      ]);
    expect(new Map(await underNew())).toEqual(
      new Map([
        [ids[0], true],
        [ids[1], false],
        [ids[2], true],
      ]),
    );

    // Held for a moment: a later pass picks it up.
    const brief = holdLock(300);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const report = await rotateMasterKey({ keys });
    await brief;
    expect(report.find((entry) => entry.table === 'secrets')?.reencrypted).toBe(1);
    expect((await underNew()).every(([, current]) => current)).toBe(true);
    await db().source.delete({ where: { id: source.id } });
  });

  it('leaves ingest verifying and the worker signing with the rotated secrets, without the old key', async () => {
    useKeys(newKey, []);
    await configChanged();
    const server = await startIngestServer('lean server');
    let sink: Sink | undefined;
    const worker = new DeliveryWorker(sql, { pollIntervalMs: 50, leaseRecoveryIntervalMs: 200, leaseMarginSeconds: 1, recordDelayMs: 1 });
    try {
      sink = await startSink(() => ({ status: 200 }));
      await db().destination.update({ where: { id: signingDestinationId }, data: { url: `${sink.url}/in` } });
      const source = await db().source.findUniqueOrThrow({ where: { slug: sourceSlug } });
      await createTestRoute({ sourceId: source.id, destinationId: signingDestinationId });
      await worker.start();
      const sent = waitForEvent(worker, 'attempt:finish', recordedTo(signingDestinationId));

      const body = JSON.stringify({ id: 'evt_rotated', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } });
      const response = await fetch(server.ingestUrl(sourceSlug), {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: STRIPE_SECRET }) },
      });
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      expect((await db().event.findUniqueOrThrow({ where: { id } })).verification).toBe('verified');

      await sent;
      const received = sink.received[0]!;
      expect(new Webhook(signingSecret).verify(received.body.toString(), received.headers as Record<string, string>)).toMatchObject({ id: 'evt_rotated' });
    } finally {
      await worker.stop();
      await sink?.close();
      await server.close();
    }
  });

  it('runs as `npm run secrets:rotate-key`: counts on success, exit 1 and nothing written on a value it cannot decrypt', async () => {
    const env = { ...process.env, HOOKYARD_MASTER_KEY: newKey.toString('base64'), HOOKYARD_MASTER_KEY_PREVIOUS: '' };
    const ok = await run('npx', ['tsx', 'scripts/secrets-rotate-key.ts'], { env });
    expect(ok.stdout).toMatch(
      new RegExp(`secrets\\.ciphertext: ${expected.size - 2} stored, ${expected.size - 2} already under the current key, 0 re-encrypted`),
    );

    const strangerId = newId();
    const { source } = await createTestSource({ provider: 'stripe' });
    await db().secret.create({ data: { id: strangerId, sourceId: source.id, ciphertext: encryptSecret(strangerId, 'whsec_lost', strangerKey), hint: 'x' } });
    // A row the run could re-encrypt (under the old key, given as previous) beside the one it cannot: it stays as it was.
    const oldRowId = newId();
    await db().secret.create({ data: { id: oldRowId, sourceId: source.id, ciphertext: encryptSecret(oldRowId, 'whsec_still_old', oldKey), hint: 'x' } });
    const before = await storedValues();
    const failed = await run('npx', ['tsx', 'scripts/secrets-rotate-key.ts'], {
      env: { ...env, HOOKYARD_MASTER_KEY_PREVIOUS: oldKey.toString('base64') },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(await storedValues()).toEqual(before);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain(strangerId);
    expect((failed as { stderr: string }).stderr).not.toContain('whsec_lost');
  }, 90_000);
});
