/**
 * Rows for tests, written straight through Prisma (the configuration API has its own tests).
 * Secrets are encrypted exactly as the API stores them.
 */
import { newId } from '@/lib/db/ids';
import type { Prisma } from '@/lib/db/generated/client';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { db } from '@/lib/db/prisma';
import { clearDestinationCache } from '@/lib/worker/destination-config';
import { clearSourceCache } from '@/lib/ingest/source-config';
import { clearRouteTransformCache } from '@/lib/transforms/transform-delivery';
import { encryptSecret, maskSecret } from '@/lib/secrets/encryption';

let counter = 0;

export async function createTestSource(input: {
  provider: string;
  secrets?: { value: string; expiresAt?: Date | null; revokedAt?: Date | null }[];
  settings?: Record<string, unknown>;
  slug?: string;
  data?: Partial<Prisma.SourceUncheckedCreateInput>;
}) {
  const slug = input.slug ?? `${input.provider}-${++counter}-${Date.now().toString(36)}`;
  const source = await db().source.create({
    data: { name: slug, slug, provider: input.provider, verificationSettings: (input.settings ?? {}) as Prisma.InputJsonValue, ...input.data },
  });
  const secrets = [];
  for (const secret of input.secrets ?? []) {
    const id = newId();
    secrets.push(
      await db().secret.create({
        data: {
          id,
          sourceId: source.id,
          ciphertext: encryptSecret(id, secret.value),
          hint: maskSecret(secret.value),
          expiresAt: secret.expiresAt ?? null,
          revokedAt: secret.revokedAt ?? null,
        },
      }),
    );
  }
  await configChanged();
  return { source, secrets };
}

export async function createTestDestination(input: { url: string; data?: Partial<Prisma.DestinationUncheckedCreateInput> }) {
  const destination = await db().destination.create({ data: { name: `dest-${++counter}`, url: input.url, ...input.data } });
  await configChanged();
  return destination;
}

export async function createTestRoute(input: {
  sourceId: string;
  destinationId: string;
  eventTypes?: string[];
  filter?: Prisma.InputJsonValue;
  transform?: string | null;
}) {
  const route = await db().route.create({ data: { ...input } });
  await configChanged();
  return route;
}

/** Tests change config through Prisma directly: drop this process's cache too. */
export async function configChanged() {
  clearSourceCache();
  clearDestinationCache();
  clearRouteTransformCache();
  await notifyConfigChanged();
}

/** An accepted event with one pending delivery per destination, as ingest would store it. */
export async function createTestEvent(input: {
  sourceId: string;
  destinationIds: string[];
  body?: string;
  headers?: Record<string, string>;
  orderingKey?: string | null;
  eventType?: string;
  receivedAt?: Date;
}) {
  const id = newId();
  const body = input.body ?? JSON.stringify({ id: `evt_${id}`, type: input.eventType ?? 'test.event' });
  const receivedAt = input.receivedAt ?? new Date();
  const event = await db().event.create({
    data: {
      id,
      sourceId: input.sourceId,
      receivedAt,
      headers: input.headers ?? { 'content-type': 'application/json' },
      body: new Uint8Array(Buffer.from(body)),
      payload: (() => {
        try {
          return JSON.parse(body) as Prisma.InputJsonValue;
        } catch {
          return undefined;
        }
      })(),
      contentType: 'application/json',
      size: Buffer.byteLength(body),
      verification: 'unverified',
      eventType: input.eventType ?? 'test.event',
      deliveries: {
        create: input.destinationIds.map((destinationId) => ({
          id: newId(),
          sourceId: input.sourceId,
          destinationId,
          orderingKey: input.orderingKey ?? null,
          createdAt: receivedAt,
          nextAttemptAt: receivedAt,
        })),
      },
    },
    include: { deliveries: true },
  });
  return event;
}

/** A destination with a Standard Webhooks signing secret, as the API creates it. */
export async function addSigningSecret(destinationId: string, value = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`) {
  const id = newId();
  await db().secret.create({ data: { id, destinationId, ciphertext: encryptSecret(id, value), hint: maskSecret(value) } });
  await configChanged();
  return value;
}

/** `count` events with one pending delivery each, in one statement (for load tests). */
export async function createBulkDeliveries(sourceId: string, destinationId: string, count: number, status: 'pending' | 'failed' = 'pending') {
  await db().$executeRaw`
    WITH e AS (
      INSERT INTO events (id, source_id, received_at, headers, body, payload, content_type, size, verification, event_type)
      SELECT gen_random_uuid(), ${sourceId}::uuid, now(), '{"content-type":"application/json"}'::jsonb,
             convert_to('{"n":' || g || '}', 'UTF8'), jsonb_build_object('n', g), 'application/json', 10, 'unverified', 'bulk.test'
      FROM generate_series(1, ${count}::int) AS g
      RETURNING id, received_at
    )
    INSERT INTO deliveries (id, event_id, source_id, destination_id, status, next_attempt_at, created_at, updated_at, attempt_count)
    SELECT gen_random_uuid(), e.id, ${sourceId}::uuid, ${destinationId}::uuid, ${status}::"DeliveryStatus", e.received_at, e.received_at, e.received_at,
           CASE WHEN ${status} = 'failed' THEN 1 ELSE 0 END
    FROM e`;
}
