import { defineConfig } from 'prisma/config';

// The URL is only needed by `prisma migrate` on machines that can run Prisma's schema engine;
// Hookyard applies migrations with its own runner (lib/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/hookyard' },
});
