/**
 * Rows for tests, written straight through Prisma (the configuration API has its own tests).
 * Secrets are encrypted exactly as the API stores them.
 */
import { newId } from '@/lib/db/ids';
import type { Prisma } from '@/lib/db/generated/client';
import { notifyConfigChanged } from '@/lib/db/config-changes';
import { db } from '@/lib/db/prisma';
import { clearSourceCache } from '@/lib/ingest/source-config';
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

export async function createTestRoute(input: { sourceId: string; destinationId: string; eventTypes?: string[]; filter?: Prisma.InputJsonValue }) {
  const route = await db().route.create({ data: { ...input } });
  await configChanged();
  return route;
}

/** Tests change config through Prisma directly: drop this process's cache too. */
export async function configChanged() {
  clearSourceCache();
  await notifyConfigChanged();
}
