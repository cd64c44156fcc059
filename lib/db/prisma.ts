/**
 * The one Prisma client of a process. Secret-bearing columns (password hashes, key hashes,
 * encrypted secret values) are omitted from every query unless a caller asks for them by name,
 * so a careless `findMany` cannot leak them into a response.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { currentDatabaseUrl, tunables } from '@/lib/config/settings';
import { PrismaClient } from './generated/client';

const SAFE_OMIT = {
  user: { passwordHash: true },
  apiKey: { keyHash: true },
  secret: { ciphertext: true },
} as const;

function createClient(connectionString: string) {
  const adapter = new PrismaPg({ connectionString, max: tunables().pools.prisma });
  return new PrismaClient({ adapter, omit: SAFE_OMIT });
}

export type Db = ReturnType<typeof createClient>;

const globalForPrisma = globalThis as unknown as { hookyardPrisma?: Db; hookyardPrismaUrl?: string };

/** The process-wide client, created on first use from DATABASE_URL. */
export function db(): Db {
  const url = currentDatabaseUrl();
  if (!globalForPrisma.hookyardPrisma || globalForPrisma.hookyardPrismaUrl !== url) {
    void globalForPrisma.hookyardPrisma?.$disconnect();
    globalForPrisma.hookyardPrisma = createClient(url);
    globalForPrisma.hookyardPrismaUrl = url;
  }
  return globalForPrisma.hookyardPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.hookyardPrisma?.$disconnect();
  globalForPrisma.hookyardPrisma = undefined;
}

export * from './generated/enums';
export type { Prisma } from './generated/client';
