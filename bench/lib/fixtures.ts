/**
 * Configuration rows for the sections, written through Prisma with secrets encrypted exactly as
 * the API stores them (as tests/support/fixtures.ts does). Needs DATABASE_URL and
 * HOOKYARD_MASTER_KEY in this process's environment (bench/run.ts sets them).
 */
import { randomBytes } from 'node:crypto';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { newId } from '@/lib/db/ids';
import { db } from '@/lib/db/prisma';
import { encryptSecret, maskSecret } from '@/lib/secrets/encryption';

export interface StripeSetup {
  sourceId: string;
  slug: string;
  secret: string;
  destinationId: string;
  routeId: string;
}

/** A Stripe source with a real signing secret, routed to one destination. */
export async function createStripeSetup(input: { slug: string; destinationUrl: string }): Promise<StripeSetup> {
  const secret = `whsec_${randomBytes(24).toString('base64url')}`;
  const source = await db().source.create({ data: { name: `Bench ${input.slug}`, slug: input.slug, provider: 'stripe' } });
  const secretId = newId();
  await db().secret.create({
    data: { id: secretId, sourceId: source.id, ciphertext: encryptSecret(secretId, secret), hint: maskSecret(secret) },
  });
  const destination = await db().destination.create({ data: { name: `Bench sink for ${input.slug}`, url: input.destinationUrl } });
  const route = await db().route.create({ data: { sourceId: source.id, destinationId: destination.id } });
  await notifyConfigChanged();
  return { sourceId: source.id, slug: input.slug, secret, destinationId: destination.id, routeId: route.id };
}
