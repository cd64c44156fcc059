// vitest setupFiles of the "integration" project: runs before each test file's own imports, so
// every module the file loads (lib/db/prisma.ts included) sees this file's private database in
// DATABASE_URL. Copying the migrated template is much faster than migrating each time, and test
// files can run in parallel without seeing each other's rows.
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { databaseUrl, dropDatabase, withPgAt } from './db';

const adminUrl = inject('hookyardAdminUrl');
const template = inject('hookyardTemplateDb');
const name = `test_${randomBytes(6).toString('hex')}`;

await withPgAt(adminUrl, async (client) => {
  // Postgres refuses to copy a template someone is connected to (55006) and only waits 5 s for
  // them to leave; another run's migration check on a shared server can be that someone.
  for (let attempt = 1; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
});

process.env.DATABASE_URL = databaseUrl(adminUrl, name);
process.env.HOOKYARD_TEST_DATABASE = name;

// Registered before the test file's hooks, so it runs after them (vitest runs after-hooks as a
// stack): a file's own cleanup, such as disconnecting Prisma, comes first. FORCE ends the rest.
// DROP DATABASE forces a checkpoint (about half a second here), so it is skipped when the whole
// server is thrown away at the end of the run anyway.
afterAll(async () => {
  if (!inject('hookyardDisposableServer')) await dropDatabase(adminUrl, name);
});
